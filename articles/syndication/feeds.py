"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest public articles.

One `Feed` class per scope (the site, a section, a tag, an author) says which articles; the
format is the generator it is built with, e.g. `TagFeed(AtomFeed)`, so that every format of a
scope shows the same entries in the same order.
"""

import hashlib
import logging
import math
import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import escape
from django.utils.http import http_date

from articles.addresses import absolute_url
from articles.models import Article, Author, RelatedLink, Section, Tag
from articles.sanitize import strip_control_characters as xml_safe
from articles.sanitize import with_absolute_urls

from .formats import AtomFeed, JsonFeed, RssFeed

logger = logging.getLogger(__name__)

MAX_ITEMS = 50
# How long a CDN or reader may reuse a feed without asking; shorter when a story is due.
MAX_AGE = 300
STALE_WHILE_REVALIDATE = 60
ICON = "img/feed-icon.png"


def feed_path(scope=None, kind="rss"):
    """The path of the site's feed (no scope) or of a section's, tag's or author's feed."""
    if scope is None:
        return reverse(f"syndication:feed_{kind}")
    return reverse(f"syndication:{scope._meta.model_name}_feed_{kind}", kwargs={"slug": scope.slug})


def feed_title(scope=None):
    if scope is None:
        return settings.SITE_NAME
    return f"{settings.SITE_NAME}: {xml_safe(str(scope))}"


def article_id(article):
    """A tag URI (RFC 4151) that stays the same when the slug or the headline changes."""
    host = urlsplit(settings.SITE_URL).hostname
    first = article.first_published_at or article.published_at
    return f"tag:{host},{first:%Y}:article-{article.pk}"


# Generators: what Django's give, plus full content, every author, the hero image, the hub.


FORMATS = (RssFeed, AtomFeed, JsonFeed)


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: int | None  # a Unix time, as get_conditional_response() takes it
    max_age: int


# Feeds: which articles, and what each entry says.


class ArticleFeed(Feed):
    """The latest public articles of the site; subclasses narrow them to a scope."""

    def __init__(self, feed_type=RssFeed):
        self.feed_type = feed_type

    def __call__(self, request, *args, **kwargs):
        # Django's Feed.__call__, with validators taken from the database rather than from the
        # entries shown: unpublishing must change them too, and a 304 must stay cheap.
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("No such feed.") from None
        version = self.version(obj)
        response = get_conditional_response(
            request, etag=version.etag, last_modified=version.last_modified
        )
        if response is None:
            feed = self.get_feed(obj, request)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
        response.headers["ETag"] = version.etag
        if version.last_modified:
            response.headers["Last-Modified"] = http_date(version.last_modified)
        patch_cache_control(
            response,
            public=True,
            max_age=version.max_age,
            stale_while_revalidate=STALE_WHILE_REVALIDATE,
        )
        return response

    def get_object(self, request):
        return None

    def articles(self, obj):
        """Every article of the scope, public or not."""
        return Article.objects.all()

    def items(self, obj):
        return self.articles(obj).public().with_everything().newest_first()[:MAX_ITEMS]

    def version(self, obj):
        """ETag, Last-Modified and freshness of the feed, from one query over its entries
        (and two for the names of their tags and authors).

        The ETag is made of exactly what decides the entries: which articles they are, when
        each of them and each article it visibly links to last changed, and the names of their
        tags and authors. Last-Modified is
        coarser: the last change to any article that was ever published, or the latest
        publication, whichever is later; so an unpublished entry changes both.
        """
        # Only the links a reader sees: a target going live (or coming down) changes them.
        links = (
            RelatedLink.objects.visible()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
        )
        last_edit = Article.objects.filter(first_published_at__isnull=False).order_by("-updated_at")
        next_due = self.articles(obj).scheduled().order_by("published_at")
        rows = list(
            self.articles(obj)
            .public()
            .newest_first()
            .annotate(
                links=Subquery(links.annotate(count=Count("pk")).values("count")),
                targets_edited=Subquery(
                    links.filter(target_article__first_published_at__isnull=False)
                    .annotate(last=Max("target_article__updated_at"))
                    .values("last")
                ),
                last_edit=Subquery(last_edit.values("updated_at")[:1]),
                next_due=Subquery(next_due.values("published_at")[:1]),
            )
            .values_list(
                "pk",
                "updated_at",
                "links",
                "targets_edited",
                "published_at",
                "last_edit",
                "next_due",
            )[:MAX_ITEMS]
        )
        entries = [row[:4] for row in rows]
        ids = [row[0] for row in rows]
        # Tag and author names are shown in entries but renamed without touching articles.
        names = [
            list(Tag.objects.filter(articles__in=ids).order_by("pk").values_list("pk", "name")),
            list(Author.objects.filter(articles__in=ids).order_by("pk").values_list("pk", "name")),
        ]
        scope = [
            self.title(obj),
            self.description(obj),
            settings.SITE_URL,
            settings.WEBSUB_HUB_URL,
            names,
        ]
        digest = hashlib.sha256(repr([entries, scope]).encode()).hexdigest()
        if not rows:
            return FeedVersion(etag=f'"{digest[:32]}"', last_modified=None, max_age=MAX_AGE)
        newest, last_edit, next_due = rows[0][4:]
        # Never in the future (a scheduled article edited before its time).
        last_modified = min(max(newest, last_edit or newest), timezone.now())
        max_age = MAX_AGE
        if next_due:
            due_in = (next_due - timezone.now()).total_seconds()
            max_age = max(0, min(MAX_AGE, math.ceil(due_in)))
        return FeedVersion(
            etag=f'"{digest[:32]}"',
            last_modified=int(last_modified.timestamp()),
            max_age=max_age,
        )

    # The feed

    def title(self, obj):
        return feed_title(obj)

    def link(self, obj):
        return absolute_url(obj.get_absolute_url() if obj else reverse("site:home"))

    def description(self, obj):
        return settings.SITE_DESCRIPTION

    def subtitle(self, obj):
        return self.description(obj)

    def feed_url(self, obj):
        return absolute_url(feed_path(obj, self.feed_type.kind))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return settings.SITE_NAME

    def author_link(self, obj):
        return absolute_url(reverse("site:home"))

    def feed_extra_kwargs(self, obj):
        return {
            "hub_url": settings.WEBSUB_HUB_URL or None,
            "icon_url": absolute_url(static(ICON)),
        }

    # Each entry

    def item_title(self, article):
        return xml_safe(article.headline)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article):
        return article_id(article)

    item_guid_is_permalink = False

    def item_description(self, article):
        # RSS and Atom summaries are HTML; the dek is plain text.
        return escape(xml_safe(article.dek)) if article.dek else None

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # A scheduled article saved before its time has gone live since.
        return max(article.updated_at, article.published_at)

    def item_categories(self, article):
        return [xml_safe(tag.name) for tag in article.tags.all()]

    def item_enclosures(self, article):
        if not article.hero_image:
            return []
        try:
            size = article.hero_image.size
        except OSError:
            logger.warning(
                "Hero image of article %s is missing: %s", article.pk, article.hero_image
            )
            return []
        mime_type, _ = mimetypes.guess_type(article.hero_image.name)
        return [
            feedgenerator.Enclosure(
                url=absolute_url(article.hero_image.url),
                length=str(size),
                mime_type=mime_type or "application/octet-stream",
            )
        ]

    def item_extra_kwargs(self, article):
        content = render_to_string("syndication/article_content.html", {"article": article})
        return {
            "content": xml_safe(with_absolute_urls(content.strip(), self.item_link(article))),
            "summary": xml_safe(article.dek),
            "authors": [
                {"name": xml_safe(author.name), "url": absolute_url(author.get_absolute_url())}
                for author in article.byline
            ],
            "image": {
                "width": article.hero_width,
                "height": article.hero_height,
                "credit": xml_safe(article.hero_credit),
            },
        }


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        return Section.objects.get(slug=slug)

    def articles(self, section):
        return section.articles.all()

    def description(self, section):
        return xml_safe(section.description) or (
            f"The latest {xml_safe(section.name)} articles from {settings.SITE_NAME}."
        )


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return Tag.objects.with_public_articles().get(slug=slug)

    def articles(self, tag):
        return tag.articles.all()

    def description(self, tag):
        return f"Articles tagged “{xml_safe(tag.name)}” from {settings.SITE_NAME}."


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return Author.objects.with_public_articles().get(slug=slug)

    def articles(self, author):
        return author.articles.all()

    def description(self, author):
        return f"Articles by {xml_safe(author.name)} from {settings.SITE_NAME}."

    def author_name(self, author):
        return xml_safe(author.name)

    def author_link(self, author):
        return absolute_url(author.get_absolute_url())
