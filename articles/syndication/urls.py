from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from articles.caching import public_cache
from articles.site import converters  # noqa: F401 (registers uslug)

from . import sitemaps
from .conditional import feed_view
from .feeds import ArticleFeed, AuthorFeed, SectionFeed, TagFeed
from .formats import AtomFeed, JsonFeed, RssFeed

app_name = "syndication"


def feed_routes(prefix, feed_class, name):
    """The RSS, Atom and JSON Feed routes of one scope, named `<name>_rss` and so on."""
    return [
        path(f"{prefix}feed/", feed_view(feed_class, RssFeed), name=f"{name}_rss"),
        path(f"{prefix}feed/atom/", feed_view(feed_class, AtomFeed), name=f"{name}_atom"),
        path(f"{prefix}feed.json", feed_view(feed_class, JsonFeed), name=f"{name}_json"),
    ]


# A 50,000-URL sitemap part takes seconds to build: the page cache keeps it until the content
# changes (a copy kept here for a fixed time would feed it stale sitemaps).
sitemap_cache = public_cache(settings.SITEMAP_CACHE_SECONDS)
news_cache = public_cache(settings.NEWS_SITEMAP_CACHE_SECONDS)
robots_cache = public_cache(settings.ROBOTS_CACHE_SECONDS)

urlpatterns = [
    *feed_routes("", ArticleFeed, "feed"),
    *feed_routes("sections/<slug:slug>/", SectionFeed, "section_feed"),
    *feed_routes("tags/<uslug:slug>/", TagFeed, "tag_feed"),
    *feed_routes("authors/<slug:slug>/", AuthorFeed, "author_feed"),
    path("sitemap.xml", sitemap_cache(sitemaps.index), name="sitemap_index"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_cache(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        news_cache(sitemap_views.sitemap),
        {
            "sitemaps": {"news": sitemaps.NewsSitemap},
            "template_name": "syndication/news_sitemap.xml",
        },
        name="news_sitemap",
    ),
    path(
        "robots.txt",
        robots_cache(
            TemplateView.as_view(
                template_name="syndication/robots.txt", content_type="text/plain; charset=utf-8"
            )
        ),
        name="robots_txt",
    ),
]
