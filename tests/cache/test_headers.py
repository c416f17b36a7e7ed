"""What a CDN in front is told (articles/caching.py), how uploads are served, and how the page
cache is wired in front of Django."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory, override_settings
from django.urls import reverse

from articles.cache.edge import EdgeCache, wrap
from articles.syndication.feeds import feed_path
from newsroom.urls import serve_media
from tests.factories import make_article

from .conftest import CLOSED_PORT_URL, redis_cache

pytestmark = pytest.mark.django_db


def directives(response):
    return dict(
        (part.strip().split("=", 1) + [""])[:2] for part in response["Cache-Control"].split(",")
    )


def test_reader_pages_and_feeds_tell_a_cdn_how_long_and_how_stale(client, settings):
    make_article(slug="a-story")
    for url, max_age in [
        (reverse("site:home"), settings.PAGE_CACHE_SECONDS),
        (reverse("site:detail", kwargs={"slug": "a-story"}), settings.PAGE_CACHE_SECONDS),
        (feed_path(), settings.FEED_CACHE_SECONDS),
        (reverse("syndication:sitemap_index"), settings.SITEMAP_CACHE_SECONDS),
        (reverse("syndication:robots_txt"), settings.ROBOTS_CACHE_SECONDS),
    ]:
        assert directives(client.get(url)) == {
            "public": "",
            "max-age": str(max_age),
            "s-maxage": str(min(max_age, settings.CDN_CACHE_SECONDS)),
            "stale-while-revalidate": str(settings.STALE_WHILE_REVALIDATE_SECONDS),
            "stale-if-error": str(settings.STALE_IF_ERROR_SECONDS),
        }, url


def test_uploads_may_be_kept_a_year_unchanged_but_not_on_a_laptop(settings):
    (settings.MEDIA_ROOT / "heroes").mkdir(parents=True)
    (settings.MEDIA_ROOT / "heroes" / "cell.png").write_bytes(b"\x89PNG")
    request = RequestFactory().get("/media/heroes/cell.png")
    response = serve_media(request, "heroes/cell.png")
    assert directives(response) == {"public": "", "max-age": "31536000", "immutable": ""}
    settings.DEBUG = True
    assert "Cache-Control" not in serve_media(request, "heroes/cell.png")


def test_sitemaps_and_pages_are_served_when_redis_is_down(client, settings):
    """Sitemaps used to be kept in the default cache by the view, and a Redis outage made
    every sitemap a 500; the page cache keeps them now, and does without a cache that fails."""
    make_article()
    down = redis_cache(CLOSED_PORT_URL)
    with override_settings(CACHES={"default": down, "pages": down}):
        for url in [
            reverse("syndication:sitemap_index"),
            reverse("syndication:sitemap", kwargs={"section": "articles"}),
            reverse("syndication:news_sitemap"),
            reverse("site:home"),
        ]:
            assert client.get(url).status_code == 200, url


def test_the_page_cache_stands_in_front_of_django_when_edge_cache_is_on(settings):
    import newsroom.wsgi

    assert isinstance(newsroom.wsgi.application, EdgeCache)  # DEBUG is off in tests
    django = WSGIHandler()
    settings.EDGE_CACHE = False
    assert wrap(django) is django
    settings.EDGE_CACHE = True
    assert wrap(django).application is django
