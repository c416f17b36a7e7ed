"""Body images from the article editor: upload one (with its alt text), or list the recent ones
to choose from. JSON for the editor's script (static/desk/body_image.js); staff only (anyone
else gets 404), by the roles' permissions: writers and editors may upload."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from articles.models import BodyImage

from .fields import renditions_ready
from .renditions import rendition_url, widths_for
from .tasks import request_renditions

CHOOSER_SIZE = 24


class BodyImageForm(forms.ModelForm):
    class Meta:
        model = BodyImage
        fields = ["file", "alt", "caption", "credit"]


def allowed(request, action):
    user = request.user
    if not (user.is_active and user.is_staff):
        raise Http404
    if not user.has_perm(f"articles.{action}_bodyimage"):
        raise PermissionDenied


def thumbnail_url(image):
    if renditions_ready(image.file):
        return rendition_url(image.file.name, widths_for(image.width)[0], "jpg")
    return image.file.url


def describe(image):
    return {
        "id": image.pk,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "thumbnail": thumbnail_url(image),
    }


@require_POST
def upload(request):
    allowed(request, "add")
    form = BodyImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {
            field: [error["message"] for error in field_errors]
            for field, field_errors in form.errors.get_json_data().items()
        }
        return JsonResponse({"errors": errors}, status=400)
    image = form.save(commit=False)
    image.uploaded_by = request.user
    image.save()
    request_renditions(image.file)
    return JsonResponse(describe(image), status=201)


@require_GET
def chooser(request):
    """The most recent uploads (`?q=` searches alt text, caption and credit), or the images
    with the ids asked for (`?id=12&id=14`, for the editor's previews)."""
    allowed(request, "view")
    images = BodyImage.objects.all()
    if ids := [value for value in request.GET.getlist("id") if value.isdigit()]:
        images = images.filter(pk__in=ids[:CHOOSER_SIZE])
    elif query := request.GET.get("q", "").strip():
        images = images.filter(
            Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query)
        )
    return JsonResponse({"images": [describe(image) for image in images[:CHOOSER_SIZE]]})
