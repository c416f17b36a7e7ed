"""Conditional GET for feeds: ETag and Last-Modified from public content only, worked out once
per request in a few small queries, so that a 304 costs no rendering."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from articles.caching import patch_public_cache
from articles.models import Article, Byline, RelatedLink

from .feeds import MAX_ITEMS


@dataclass(frozen=True)
class FeedVersion:
    scope: object  # the section, tag or author; None for the site's feed
    etag: str
    last_modified: datetime | None  # None for a feed with no entries


def feed_view(feed):
    """`feed` (a Feed built with its format) as a view of GET and HEAD, with conditional GET.

    Every feed may be kept FEED_CACHE_SECONDS, which is therefore how late a scheduled story
    may show up in a feed: a max-age cut short before a story is due would tell its time
    before it is public.
    """

    def version(request, **kwargs):
        # condition() asks for the ETag and for Last-Modified in turn; the feed needs the scope.
        if not hasattr(request, "feed_version"):
            request.feed_version = feed_version(feed, feed.get_object(request, **kwargs))
        return request.feed_version

    def etag(request, **kwargs):
        return version(request, **kwargs).etag

    def last_modified(request, **kwargs):
        return version(request, **kwargs).last_modified

    @condition(etag_func=etag, last_modified_func=last_modified)
    def conditional_feed(request, **kwargs):
        # get_feed() rather than Feed.__call__(), which would date the response once more.
        document = feed.get_feed(version(request, **kwargs).scope, request)
        response = HttpResponse(content_type=document.content_type)
        document.write(response, "utf-8")
        return response

    @require_safe
    def view(request, **kwargs):
        response = conditional_feed(request, **kwargs)
        return patch_public_cache(response, settings.FEED_CACHE_SECONDS)

    return view


def feed_version(feed, scope):
    """The validators of `feed` for `scope`, from public content only (four small queries).

    The ETag digests exactly what decides the document: which entries, when each last changed,
    what they show from other rows, and the feed's own values (title, description, SITE_URL,
    hub). An entry going live or leaving changes it; editing a draft or a scheduled story does
    not. Last-Modified is the newest entry's last change or publication; hidden edits must not
    date the feed, so a client that sends only If-Modified-Since learns that an older entry
    left at the next change (readers send If-None-Match too, and it decides).
    """
    entries = list(feed.entries(scope).values("pk", "updated_at", "published_at")[:MAX_ITEMS])
    shown = [entries, *shown_from_other_rows([entry["pk"] for entry in entries])]
    shown.append(feed_level(feed, scope))
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return FeedVersion(scope=scope, etag=f'"{digest}"', last_modified=newest_change(entries))


def shown_from_other_rows(ids):
    """What the entries `ids` show from rows that change without the entries being saved: their
    visible SEE ALSO links (a target going live or being edited), tag names and bylines."""
    links = (
        RelatedLink.objects.visible()
        .filter(article__in=ids)
        .order_by("article", "position", "pk")
        .values(
            "article",
            "pk",
            "position",
            "url",
            "title",
            "target_article__updated_at",
        )
    )
    tags = (
        Article.tags.through.objects.filter(article__in=ids)
        .order_by("article", "tag")
        .values("article", "tag__name")
    )
    bylines = (
        Byline.objects.filter(article__in=ids)
        .order_by("article", "position", "pk")
        .values("article", "author__name", "author__slug")
    )
    return [list(links), list(tags), list(bylines)]


def feed_level(feed, scope):
    """The feed's own values, as get_feed() takes them."""
    return [
        feed.title(scope),
        feed.link(scope),
        feed.description(scope),
        feed.feed_url(scope),
        feed.author_name(scope),
        feed.author_link(scope),
        feed.feed_extra_kwargs(scope),
    ]


def newest_change(entries):
    """When the newest of the entries last changed or went live, never in the future (a clock
    skew); None for no entries."""
    changes = [max(entry["updated_at"], entry["published_at"]) for entry in entries]
    return min(max(changes), timezone.now()) if changes else None
