"""The article form's safety net: what an editor types is kept as their autosave draft until
they save the form, and the form says who else has the article open.

The change form's script (static/desk/autosave.js) posts the form's fields here a few seconds
after the last change; the next time the editor opens the form it offers the draft back
("Restore / Discard"); saving the form deletes it. A draft is never the article and never a
revision. The endpoints answer only staff who may change the article, by the admin's own rule
(a writer cannot autosave onto published work).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Article

from . import presence
from .models import AutosaveDraft

# A long story's HTML is a few hundred kilobytes; a larger autosave is refused (413).
MAX_BYTES = 1024 * 1024
# Form fields never kept in a draft.
NOT_KEPT = {"csrfmiddlewaretoken"}


def can_edit(request, article):
    user = request.user
    model_admin = admin.site.get_model_admin(Article)
    return user.is_active and user.is_staff and model_admin.has_change_permission(request, article)


def editable_article(request, pk):
    """The article, for staff who may change it: 404 for everyone else, 403 for staff who may
    not change this one."""
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    article = get_object_or_404(Article, pk=pk)
    if not can_edit(request, article):
        raise PermissionDenied
    return article


def keep(article, user, data, base_version):
    """Replace `user`'s draft of `article` with `data` ({field name: [values]})."""
    draft, _ = AutosaveDraft.objects.update_or_create(
        article=article,
        user=user,
        defaults={"data": data, "base_version": base_version, "saved_at": timezone.now()},
    )
    return draft


def discard(article, user):
    """Forget `user`'s draft of `article`: they saved the form, or chose not to restore it."""
    AutosaveDraft.objects.filter(article=article, user=user).delete()


@dataclass(frozen=True)
class Pending:
    """A draft to offer back when its editor opens the form."""

    saved_at: datetime
    data: dict
    # Someone saved the article after the form the draft came from was opened.
    overtaken: bool

    @property
    def time(self):
        return clock(self.saved_at)


def pending(article, user):
    """`user`'s draft of `article`, if any.

    Saving the form deletes the draft, so one that is still here holds typing that no Save has
    kept. Usually it is newer than the article's last save; one that is not was overtaken by a
    save made elsewhere, and is offered all the same (nothing typed is lost), saying so.
    """
    draft = AutosaveDraft.objects.filter(article=article, user=user).first()
    if draft is None:
        return None
    return Pending(draft.saved_at, draft.data, overtaken=draft.base_version < article.version)


def clock(moment):
    """A time as the desk reads it, in the site's time zone: "10:42", or "10:42 on Nov 24"."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} on {local:%b %d}"


def form_context(request, article):
    """What the article's change form shows about unsaved work and other editors.

    Rendered with the page, so it reads as plain text before (or without) the script. Opening
    the form counts as the first heartbeat. People who may only view the article see who is
    editing, and are not listed themselves. A form sent back with errors already holds what
    its editor typed: no draft is offered over it.
    """
    if article is None:
        return {}
    editable = can_edit(request, article)
    offer_draft = editable and request.method == "GET"
    if editable:
        others = presence.arrive(article, request.user)
    else:
        others = presence.others(article, request.user)
    return {
        "desk_editing": {
            "editable": editable,
            "draft": pending(article, request.user) if offer_draft else None,
            "others": describe(others),
            "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
            "debounce_seconds": settings.AUTOSAVE_SECONDS,
        }
    }


def describe(others):
    return [{"name": name, "since": clock(since)} for name, since in others]


# The endpoints the open form calls ---------------------------------------------------------


@require_POST
def save_draft(request, pk):
    article = editable_article(request, pk)
    if body_length(request) > MAX_BYTES:
        return JsonResponse(
            {"error": "Too long to autosave: save the article to keep it."}, status=413
        )
    try:
        base_version = int(request.POST["edit_version"])
    except (KeyError, ValueError):
        base_version = 0
    if not 1 <= base_version <= article.version:
        return JsonResponse({"error": "The form's version is missing or wrong."}, status=400)
    data = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
    draft = keep(article, request.user, data, base_version)
    return JsonResponse({"saved_at": draft.saved_at.isoformat(), "time": clock(draft.saved_at)})


def body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_POST
def discard_draft(request, pk):
    discard(editable_article(request, pk), request.user)
    return JsonResponse({"discarded": True})


@require_POST
def heartbeat(request, pk):
    """Keeps the form's editor listed as present; answers with who else is."""
    article = editable_article(request, pk)
    return JsonResponse({"others": describe(presence.arrive(article, request.user))})
