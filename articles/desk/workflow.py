"""The desk's workflow, each step in one place.

A step is taken in two halves around the save that carries it, so that it always acts on what
the editor has in the form, through the form's validation:
- `prepare()` sets the status and times the step asks for on the unsaved article, or refuses
  with a message for the editor;
- `record()`, after the save, keeps a revision, writes the audit log, notifies the people
  concerned, and tells feed subscribers (WebSub) when what readers see has changed.
The change list's bulk actions run both halves around a plain save.
"""

import logging

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import models, transaction
from django.utils import timezone

from articles.models import Article, Revision
from articles.syndication import websub

from . import notify

logger = logging.getLogger(__name__)


class Action(models.TextChoices):
    SAVE = "save", "Saved"
    SUBMIT = "submit", "Submitted for review"
    RETURN = "return", "Sent back to the writer"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    UNPUBLISH = "unpublish", "Unpublished"
    PUBLISH_CHANGES = "publish_changes", "Published changes"
    TRASH = "trash", "Moved to the trash"
    RESTORE = "restore", "Restored from the trash"
    DELETE = "delete", "Deleted for good"
    IMPORT = "import", "Imported"
    RESTORE_REVISION = "restore_revision", "Restored an earlier version"


# What only an editor (the publish permission) may do.
EDITORS_ONLY = {
    Action.PUBLISH_CHANGES,
    Action.RETURN,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.UNPUBLISH,
    Action.RESTORE,
    Action.DELETE,
}


class Refused(ValueError):
    """A step the article or the user cannot take now, with the reason for the editor."""


def can_publish(user):
    return user.has_perm("articles.publish_article")


def was_public(article):
    """Whether readers could see the article as it is stored now (before a save)."""
    return article.pk is not None and Article.objects.public().filter(pk=article.pk).exists()


def available(article, user):
    """The steps the change form offers for this article and user, as buttons."""
    editor = can_publish(user)
    if article.trashed_at:
        return [Action.RESTORE] if editor else []
    if article.draft_of_id:
        steps = [Action.SAVE, Action.PUBLISH_CHANGES]
    elif article.is_scheduled:
        steps = [Action.SAVE, Action.PUBLISH, Action.UNPUBLISH]
    elif article.status == Article.Status.PUBLISHED:
        steps = [Action.SAVE, Action.UNPUBLISH]
        if article.has_expired:
            steps.insert(1, Action.PUBLISH)
    elif article.status == Article.Status.IN_REVIEW:
        steps = [Action.SAVE, Action.RETURN, Action.SCHEDULE, Action.PUBLISH]
    else:
        steps = [Action.SAVE, Action.SUBMIT, Action.SCHEDULE, Action.PUBLISH]
    return [step for step in steps if editor or step not in EDITORS_ONLY]


def prepare(article, action, *, user, now=None):
    """Set on the unsaved `article` what `action` asks for; raise Refused if it cannot be."""
    if action in EDITORS_ONLY and not can_publish(user):
        raise Refused("Only editors can publish, schedule, unpublish or send back an article.")
    if article.draft_of_id and action not in (Action.SAVE, Action.PUBLISH_CHANGES):
        raise Refused("This is a draft of changes to a live article: save it, or publish it.")
    if step := STEPS.get(action):
        step(article, now or timezone.now())


def _submit(article, now):
    if article.status == Article.Status.PUBLISHED:
        raise Refused("This article is published already; there is nothing to submit.")
    article.status = Article.Status.IN_REVIEW


def _back_to_draft(article, now):
    article.status = Article.Status.DRAFT


def _publish(article, now):
    _check_ready(article, "published")
    article.status = Article.Status.PUBLISHED
    if article.published_at is None or article.published_at > now or article.has_expired:
        article.published_at = now
    if article.expires_at and article.expires_at <= now:
        raise Refused("The take-down time has passed: clear it or choose a later one.")


def _schedule(article, now):
    _check_ready(article, "scheduled")
    if article.published_at is None or article.published_at <= now:
        raise Refused("Choose a publish time in the future to schedule the article.")
    article.status = Article.Status.PUBLISHED


def _publish_changes(article, now):
    _check_ready(article, "published")  # the copy onto the live article is changes.publish()


def _trash(article, now):
    article.trashed_at = now


def _restore(article, now):
    article.trashed_at = None


STEPS = {
    Action.SUBMIT: _submit,
    Action.RETURN: _back_to_draft,
    Action.UNPUBLISH: _back_to_draft,
    Action.PUBLISH: _publish,
    Action.SCHEDULE: _schedule,
    Action.PUBLISH_CHANGES: _publish_changes,
    Action.TRASH: _trash,
    Action.RESTORE: _restore,
}


def _check_ready(article, step):
    if article.hero_image and not article.hero_alt.strip():
        raise Refused(f"“{article.headline}” was not {step}: its hero image needs alt text.")


def record(article, action, *, user, was_public, note=""):
    """After the save that carried `action`: revision, audit log, notifications, ping."""
    Revision.capture(article, user=user, action=Action(action).label, note=note)
    log(article, action, user=user, note=note)
    notify.after(article, action, user=user, note=note)
    if was_public or article.is_public:
        websub.announce(article)


def log(article, action, *, user, note=""):
    """One line in the desk-wide audit log (Django's admin log) and the article's history."""
    message = Action(action).label + (f": {note}" if note else "")
    if user is None:  # a command, e.g. purge_trash: its own output is the record
        logger.info("%s: article %s “%s”", message, article.pk, article)
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[article],
        action_flag=DELETION if action == Action.DELETE else CHANGE,
        change_message=message,
        single_object=True,
    )


def take(article, action, *, user, note=""):
    """Prepare, save and record one step on a stored article (bulk actions, the trash)."""
    public_before = was_public(article)
    with transaction.atomic():
        prepare(article, action, user=user)
        article.save()
        record(article, action, user=user, was_public=public_before, note=note)


def delete_for_good(article, *, user):
    """Delete a trashed article and its revisions; the audit log keeps the line."""
    if not article.trashed_at:
        raise Refused("Only an article in the trash can be deleted for good.")
    log(article, Action.DELETE, user=user)
    article.delete()


def article_state(article):
    """(css name, label) of where the article is in the workflow."""
    if article.trashed_at:
        return "trashed", "In the trash"
    if article.draft_of_id:
        return "pending", "Draft of changes"
    if article.is_public:
        if getattr(article, "has_pending_draft", False):
            return "pending", "Live, with unpublished changes"
        return "live", "Live"
    if article.is_scheduled:
        return "scheduled", "Scheduled"
    if article.has_expired:
        return "expired", "Taken down"
    return article.status, article.get_status_display()
