"""What the desk keeps beside the articles: editors' unsaved work, share links for unpublished
stories, and notifications. None of it is ever shown to readers."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article


class AutosaveDraft(models.Model):
    """What one editor typed into an article's form and has not saved yet.

    One per editor and article, replaced on every autosave and removed when the editor saves
    or discards it: never the live article, never a revision.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # The form's fields as posted: {name: [values]}.
    data = models.JSONField()
    # The article's version when the editor opened the form.
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_once_per_editor"),
        ]

    def __str__(self):
        return f"{self.article} ({self.user}, {self.saved_at:%H:%M})"


def share_link_expiry():
    return timezone.now() + timedelta(hours=settings.SHARE_LINK_HOURS)


def share_link_key():
    return secrets.token_urlsafe(24)


class ShareLinkQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """A link that shows an unpublished article to someone without an account, until it
    expires or is revoked."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    # Random and secret; the URL carries it signed, so a tampered link is refused unread.
    key = models.CharField(max_length=64, unique=True, default=share_link_key, editable=False)
    note = models.CharField(
        max_length=200, blank=True, help_text="Who the link is for, e.g. “legal review”."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=share_link_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Share link for “{self.article}”"


class Notification(models.Model):
    """A message for one member of the desk: a story submitted, returned or published."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Sent back"
        PUBLISHED = "published", "Published"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_notifications"
    )
    article = models.ForeignKey(
        Article, null=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx")]

    def __str__(self):
        return self.message
