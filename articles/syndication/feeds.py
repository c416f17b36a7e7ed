"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest public articles.

One `Feed` class per scope (the site, a section, a tag, an author) says which articles; the
format is the generator it is built with, e.g. `TagFeed(AtomFeed)`, so that every format of a
scope shows the same entries in the same order. `conditional.feed_view()` makes a scope and a
format a view, with one instance of the Feed per request.
"""

import logging
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape

from articles.addresses import absolute_url
from articles.models import Article, Author, Section, Tag
from articles.sanitize import strip_control_characters as xml_safe

from .contents import contents
from .formats import AtomFeed, JsonFeed, RssFeed

logger = logging.getLogger(__name__)

MAX_ITEMS = 50
ICON = "img/feed-icon.png"
FORMATS = (RssFeed, AtomFeed, JsonFeed)


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


# Feeds: which articles, and what each entry says.


class ArticleFeed(Feed):
    """The latest public articles of the site; subclasses narrow them to a scope."""

    def __init__(self, feed_type=RssFeed):
        self.feed_type = feed_type
        self._items = None
        self._contents = None

    def get_object(self, request):
        return None

    def articles(self, scope):
        """Every article of the scope, public or not."""
        return Article.objects.all()

    def entries(self, scope):
        """The public articles of the scope, newest first; the feed shows MAX_ITEMS of them."""
        return self.articles(scope).public().newest_first()

    def items(self, scope):
        """The entries, loaded once: the validators and the document read the same rows (an
        instance serves one request, see conditional.feed_view())."""
        if self._items is None:
            self._items = list(self.entries(scope).with_everything()[:MAX_ITEMS])
        return self._items

    # The feed

    def title(self, scope):
        return feed_title(scope)

    def link(self, scope):
        return absolute_url(scope.get_absolute_url() if scope else reverse("site:home"))

    def description(self, scope):
        return settings.SITE_DESCRIPTION

    def subtitle(self, scope):
        return self.description(scope)

    def feed_url(self, scope):
        return absolute_url(feed_path(scope, self.feed_type.kind))

    def feed_guid(self, scope):
        return self.feed_url(scope)

    def author_name(self, scope):
        return settings.SITE_NAME

    def author_link(self, scope):
        return absolute_url(reverse("site:home"))

    def feed_extra_kwargs(self, scope):
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
        if self._contents is None:  # every entry's content at the first, in one cache read
            self._contents = contents(self._items, self.item_link)
        return {
            "content": self._contents[article.pk],
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
        return get_object_or_404(Section, slug=slug)

    def articles(self, section):
        return section.articles.all()

    def description(self, section):
        return xml_safe(section.description) or (
            f"The latest {xml_safe(section.name)} articles from {settings.SITE_NAME}."
        )


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag.objects.with_public_articles(), slug=slug)

    def articles(self, tag):
        return tag.articles.all()

    def description(self, tag):
        return f"Articles tagged “{xml_safe(tag.name)}” from {settings.SITE_NAME}."


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.with_public_articles(), slug=slug)

    def articles(self, author):
        return author.articles.all()

    def description(self, author):
        return f"Articles by {xml_safe(author.name)} from {settings.SITE_NAME}."

    def author_name(self, author):
        return xml_safe(author.name)

    def author_link(self, author):
        return absolute_url(author.get_absolute_url())
