from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control, cache_page
from django.views.generic import TemplateView

from . import sitemaps


def shared_cache(seconds):
    """Kept that long by CDNs and in the site's own cache (shared by the app servers): a
    50,000-URL part takes seconds to build. Short, so a story that goes live shows up soon."""

    def decorate(view):
        return cache_control(public=True, max_age=seconds)(cache_page(seconds)(view))

    return decorate


sitemap_cache = shared_cache(15 * 60)
news_cache = shared_cache(5 * 60)
robots_cache = cache_control(public=True, max_age=60 * 60)

urlpatterns = [
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
        {"sitemaps": {"news": sitemaps.NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path(
        "robots.txt",
        robots_cache(
            TemplateView.as_view(
                template_name="robots.txt", content_type="text/plain; charset=utf-8"
            )
        ),
        name="robots_txt",
    ),
]
