from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from articles.desk.admin.readonly import ReadOnlyAdmin
from articles.desk.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Each member of the desk sees their own notifications, newest first."""

    list_display = ["message", "article", "kind", "created_at", "read"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["article"]
    actions = ["mark_read"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    @admin.display(boolean=True)
    def read(self, obj):
        return obj.read_at is not None

    @admin.action(description="Mark as read", permissions=["view"])
    def mark_read(self, request, queryset):
        queryset.filter(read_at__isnull=True).update(read_at=timezone.now())


@admin.register(LogEntry)
class DeskLogAdmin(ReadOnlyAdmin):
    """The desk-wide audit log: who submitted, published, scheduled, unpublished, restored,
    trashed or deleted what, and when (Django's admin log, read-only)."""

    list_display = ["action_time", "user", "object_repr", "change_message_text"]
    list_filter = ["action_flag", "content_type", "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message"]
    date_hierarchy = "action_time"

    @admin.display(description="what happened")
    def change_message_text(self, obj):
        return obj.get_change_message() or obj.get_action_flag_display()
