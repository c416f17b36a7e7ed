from django.contrib import admin
from django.utils.html import format_html, format_html_join

from articles.models import Revision


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "version", "created_at", "user"]
    list_select_related = ["article", "user"]
    readonly_fields = ["article", "version", "created_at", "user", "snapshot"]
    fields = readonly_fields
    search_fields = ["article__headline"]

    @admin.display(description="saved content")
    def snapshot(self, obj):
        rows = format_html_join("", "<dt>{}</dt><dd><pre>{}</pre></dd>", obj.data.items())
        return format_html("<dl>{}</dl>", rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
