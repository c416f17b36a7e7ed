from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the desk reads and never edits by hand: notifications, revisions, the log."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
