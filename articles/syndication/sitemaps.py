"""Sitemaps: an index of parts for every crawler, and a Google News sitemap of fresh stories."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from articles.addresses import absolute_url
from articles.models import Article, Author, Section, Tag


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL, whatever host the request came in on (contrib.sites is not used)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    # Search results are not listed: they are not pages worth indexing.
    pages = ["site:home", "site:latest", "site:archive"]

    def items(self):
        return self.pages

    def location(self, name):
        return reverse(name)


class ListingSitemap(SiteSitemap):
    """Pages that list public articles: listed while they have any, changed when one went live."""

    model = None

    def items(self):
        return (
            self.model.objects.filter(articles__in=Article.objects.public())
            .annotate(newest=Max("articles__published_at"))
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.newest


class SectionSitemap(ListingSitemap):
    model = Section


class TagSitemap(ListingSitemap):
    model = Tag


class AuthorSitemap(ListingSitemap):
    model = Author


class ArticleSitemap(SiteSitemap):
    limit = 50_000  # The protocol's cap on URLs per file.

    def items(self):
        return (
            Article.objects.public()
            .only("slug", "updated_at", "published_at")
            .order_by("published_at", "pk")
        )

    def lastmod(self, article):
        # A scheduled story goes live without being saved: that moment counts as a change.
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        # The default calls lastmod() on every article; one aggregate query instead.
        latest = self.items().aggregate(Max("updated_at"), Max("published_at"))
        return max(filter(None, latest.values()), default=None)


class NewsSitemap(SiteSitemap):
    """Google News: public stories of the last two days, newest first, at most 1,000."""

    limit = 1000
    window = timedelta(hours=48)  # the clock moves stories out: the page cache knows it too

    def items(self):
        since = timezone.now() - self.window
        return (
            Article.objects.public()
            .filter(published_at__gte=since)
            .only("slug", "headline", "published_at")
            .newest_first()[: self.limit]
        )


SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "articles": ArticleSitemap,
}


def index(request):
    """Django's sitemap index, with the parts' addresses on SITE_URL.

    Unlike `sitemap()`, the index view takes its host from the request and has no hook for
    another one, so each listed address keeps only its path and page, on SITE_URL.
    """
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="syndication:sitemap")
    for part in response.context_data["sitemaps"]:
        path_and_page = urlsplit(part.location)._replace(scheme="", netloc="").geturl()
        part.location = absolute_url(path_and_page)
    return response
