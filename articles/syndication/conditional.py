"""Conditional GET for feeds: ETag and Last-Modified from public content only, worked out
from the entries the feed shows, loaded once per request: a 304 costs no rendering, and a 200
no second reading of the same rows."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from articles.caching import patch_public_cache

from .feeds import ArticleFeed


@dataclass(frozen=True)
class FeedVersion:
    feed: ArticleFeed  # this request's feed, with its entries loaded
    scope: object  # the section, tag or author; None for the site's feed
    etag: str
    last_modified: datetime | None  # None for a feed with no entries


def feed_view(feed_class, feed_type):
    """A view of GET and HEAD, with conditional GET, of `feed_class` (a scope's Feed) in
    `feed_type` (its format), one instance per request (it keeps the entries it loaded).

    Every feed may be kept FEED_CACHE_SECONDS, which is therefore how late a scheduled story
    may show up in a feed: a max-age cut short before a story is due would tell its time
    before it is public.
    """

    def version(request, **kwargs):
        # condition() asks for the ETag and for Last-Modified in turn; the feed needs the scope.
        if not hasattr(request, "feed_version"):
            feed = feed_class(feed_type)
            request.feed_version = feed_version(feed, feed.get_object(request, **kwargs))
        return request.feed_version

    def etag(request, **kwargs):
        return version(request, **kwargs).etag

    def last_modified(request, **kwargs):
        return version(request, **kwargs).last_modified

    @condition(etag_func=etag, last_modified_func=last_modified)
    def conditional_feed(request, **kwargs):
        known = version(request, **kwargs)
        # get_feed() rather than Feed.__call__(), which would date the response once more.
        document = known.feed.get_feed(known.scope, request)
        response = HttpResponse(content_type=document.content_type)
        document.write(response, "utf-8")
        return response

    @require_safe
    def view(request, **kwargs):
        response = conditional_feed(request, **kwargs)
        return patch_public_cache(response, settings.FEED_CACHE_SECONDS)

    return view


def feed_version(feed, scope):
    """The validators of `feed` for `scope`, from the entries it shows (public content only).

    The ETag digests exactly what decides the document: which entries, when each last changed,
    what they show from other rows, and the feed's own values (title, description, SITE_URL,
    hub). An entry going live or leaving changes it; editing a draft or a scheduled story does
    not. Last-Modified is the newest entry's last change or publication; hidden edits must not
    date the feed, so a client that sends only If-Modified-Since learns that an older entry
    left at the next change (readers send If-None-Match too, and it decides).
    """
    entries = feed.items(scope)
    shown = [feed_level(feed, scope), *map(shown_in_entry, entries)]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return FeedVersion(
        feed=feed, scope=scope, etag=f'"{digest}"', last_modified=newest_change(entries)
    )


def shown_in_entry(article):
    """What an entry shows: the article as last saved, and what it shows from rows that change
    without it being saved: its visible SEE ALSO links (a target going live or being edited),
    tag names, bylines and body images."""
    return [
        article.pk,
        article.updated_at,
        article.published_at,
        [
            (link.pk, link.position, link.url, link.title, link.target_article_id)
            + ((link.target_article.updated_at,) if link.target_article_id else ())
            for link in article.visible_links
        ],
        [tag.name for tag in article.tags.all()],
        [(author.name, author.slug) for author in article.byline],
        [
            (image.pk, image.file.name, image.rendered, image.alt, image.caption, image.credit)
            for image in article.body_images.all()
        ],
    ]


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
    changes = [max(entry.updated_at, entry.published_at) for entry in entries]
    return min(max(changes), timezone.now()) if changes else None
