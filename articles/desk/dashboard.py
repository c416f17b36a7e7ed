"""The desk's home page: the day's work, by role."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from articles.models import Article, public_condition

from .models import Notification
from .workflow import can_publish

ROWS = 10


@dataclass
class Panel:
    title: str
    articles: list
    empty: str
    # The article list filtered the same way, for "see all".
    query: str = ""
    time_label: str = ""
    time_field: str = ""


@dataclass
class Dashboard:
    panels: list[Panel] = field(default_factory=list)
    notifications: list = field(default_factory=list)
    unread: int = 0


def for_user(user):
    articles = Article.objects.filter(trashed_at__isnull=True).select_related("section")
    now = timezone.now()
    panels = []
    if can_publish(user):
        panels.append(
            Panel(
                "Awaiting review",
                list(
                    articles.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")[:ROWS]
                ),
                "Nothing is waiting for review.",
                query="state=review",
                time_label="submitted",
                time_field="updated_at",
            )
        )
    mine = articles.filter(Q(revisions__user=user) | Q(bylines__author__user=user)).distinct()
    panels += [
        Panel(
            "My drafts",
            list(mine.filter(status=Article.Status.DRAFT).order_by("-updated_at")[:ROWS]),
            "No drafts of yours.",
            query="state=draft",
            time_label="saved",
            time_field="updated_at",
        ),
        Panel(
            "Sent back to me",
            list(
                mine.filter(
                    status=Article.Status.DRAFT, revisions__action="Sent back to the writer"
                ).order_by("-updated_at")[:ROWS]
            ),
            "Nothing was sent back to you.",
            time_label="returned",
            time_field="updated_at",
        ),
        Panel(
            "Scheduled next",
            list(
                articles.filter(status=Article.Status.PUBLISHED, published_at__gt=now).order_by(
                    "published_at"
                )[:ROWS]
            ),
            "Nothing is scheduled.",
            query="state=scheduled",
            time_label="goes live",
            time_field="published_at",
        ),
        Panel(
            "Recently published",
            list(Article.objects.filter(public_condition()).newest_first()[:ROWS]),
            "Nothing is live yet.",
            query="state=live",
            time_label="live since",
            time_field="published_at",
        ),
    ]
    if can_publish(user):
        panels.append(
            Panel(
                "Recently trashed",
                list(
                    Article.objects.filter(trashed_at__isnull=False).order_by("-trashed_at")[:ROWS]
                ),
                "The trash is empty.",
                query="state=trashed",
                time_label="trashed",
                time_field="trashed_at",
            )
        )
    inbox = Notification.objects.filter(recipient=user).select_related("article")
    return Dashboard(
        panels=panels,
        notifications=list(inbox[:ROWS]),
        unread=inbox.filter(read_at__isnull=True).count(),
    )
