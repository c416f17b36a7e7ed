from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import BodyImage

from .tasks import request_renditions
from .views import thumbnail_url


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    """The images placed in article bodies: their text, and where each is used. An image an
    article shows cannot be deleted until it is taken out of the article."""

    list_display = ["preview", "alt", "caption", "credit", "uploaded_by", "created_at", "use_count"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt", "caption", "credit"]
    date_hierarchy = "created_at"
    fields = ["file", "preview", "alt", "caption", "credit", "used_in"]
    readonly_fields = ["preview", "used_in"]

    class Media:
        css = {"all": ["desk/body_image.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses"))

    @admin.display(description="image")
    def preview(self, obj):
        if not obj.file:
            return ""
        url = thumbnail_url(obj)
        return format_html('<img src="{}" alt="" class="desk-body-image-thumb">', url)

    @admin.display(description="used in", ordering="use_count")
    def use_count(self, obj):
        return obj.use_count

    @admin.display(description="used in")
    def used_in(self, obj):
        articles = obj.articles.order_by("-updated_at") if obj.pk else []
        links = (
            (reverse("admin:articles_article_change", args=[article.pk]), article.headline)
            for article in articles
        )
        return format_html_join(", ", '<a href="{}">{}</a>', links) or "No article yet"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            request_renditions(obj.file)
