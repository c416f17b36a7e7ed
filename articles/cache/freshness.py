"""What a stored page depends on, besides the request: the content version the database
advances, the moments the clock alone changes what is public, and the release (code, templates,
static file names and the settings that show on pages)."""

import hashlib
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.models import Article
from articles.models.article import union_of
from articles.syndication.sitemaps import NewsSitemap

from .models import ContentVersion

# The settings a page shows or a response's headers carry.
PAGE_SETTINGS = (
    "SITE_URL",
    "SITE_NAME",
    "SITE_DESCRIPTION",
    "STATIC_URL",
    "MEDIA_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "WEBSUB_HUB_URL",
    "SECURE_CSP",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "PAGE_CACHE_SECONDS",
    "FEED_CACHE_SECONDS",
    "SITEMAP_CACHE_SECONDS",
    "NEWS_SITEMAP_CACHE_SECONDS",
    "ROBOTS_CACHE_SECONDS",
    "CDN_CACHE_SECONDS",
    "STALE_WHILE_REVALIDATE_SECONDS",
    "STALE_IF_ERROR_SECONDS",
)
SOURCE_FOLDERS = ("articles", "newsroom", "templates")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".json"}


def content_version():
    """The content version: one query over a few small rows; None when the database cannot be
    asked (or a row is missing), and then the page cache stays out of the way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), CAST(sum(version) AS BIGINT) FROM pagecache_contentversion"
            )
            rows, version = cursor.fetchone()
    except DatabaseError:
        return None
    return version if rows == ContentVersion.ROWS else None


def next_change(now):
    """The first moment after `now` at which the clock alone changes what readers see: a
    scheduled story's publish time, a live story's take-down time, or a story leaving the news
    sitemap's window; None when nothing is due.

    One query: the first article of each of the three kinds, each found at the start of an
    index range (the list index by publish time, the partial index of take-down times), rather
    than a scan of every live story for the earliest take-down time."""
    window_start = now - NewsSitemap.window
    live = Article.objects.filter(status=Article.Status.PUBLISHED, trashed_at__isnull=True)
    firsts = [
        live.filter(published_at__gt=now).order_by("published_at").values("pk")[:1],
        live.filter(expires_at__gt=now).order_by("expires_at").values("pk")[:1],
        live.filter(published_at__gte=window_start).order_by("published_at").values("pk")[:1],
    ]
    rows = (
        Article.objects.filter(pk__in=union_of(firsts))
        .order_by()
        .values_list("published_at", "expires_at")
    )
    # Each kind's first article is among the rows, so the earliest moment over them all is it.
    moments = []
    for published, expires in rows:
        if published > now:
            moments.append(published)
        if expires and expires > now:
            moments.append(expires)
        if published >= window_start:
            moments.append(published + NewsSitemap.window)
    return min(moments, default=None)


class Schedule:
    """`next_change()`, asked once per content version (and again once that moment passed):
    only a write or the clock can move it."""

    def __init__(self):
        self._known = (None, None)  # (version, next change)

    def next_change(self, version, now=None):
        now = now or timezone.now()
        known_version, change = self._known
        if known_version == version and (change is None or change > now):
            return change
        change = next_change(now)
        self._known = (version, change)
        return change


def release():
    """A digest of what renders pages besides the content, computed once per process: a deploy
    (or a changed setting) starts from an empty page cache, never from the old pages."""
    digest = hashlib.sha256(django.get_version().encode())
    for name in PAGE_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, None)!r}".encode())
    base = Path(settings.BASE_DIR)
    for folder in SOURCE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())  # the hashed names of the static files pages use
    return digest.hexdigest()[:16]
