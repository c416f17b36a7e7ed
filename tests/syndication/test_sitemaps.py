"""Sitemap index and parts, the Google News sitemap and robots.txt, read by an XML parser."""

import xml.etree.ElementTree as ET  # noqa: S405 - our own test output, not untrusted XML
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.syndication.sitemaps import SITEMAPS, ArticleSitemap, NewsSitemap
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

ORIGIN = "https://news.example.com"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BAD_PAGES = ["0", "-1", "abc", "999", "1.5", ""]


def local(url):
    """The path and query of one of our absolute URLs, for the test client."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == ORIGIN, url
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def fetch(client, url, root, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml"), url
    assert "public" in response["Cache-Control"], url
    assert "max-age=" in response["Cache-Control"], url
    tree = ET.fromstring(response.content)  # noqa: S314
    assert tree.tag == f"{{{NS['sm']}}}{root}", url
    return tree


def index_locations(client, **headers):
    tree = fetch(client, reverse("syndication:sitemap_index"), "sitemapindex", **headers)
    return [part.findtext("sm:loc", namespaces=NS) for part in tree.findall("sm:sitemap", NS)]


def urls(client, url, **headers):
    tree = fetch(client, url, "urlset", **headers)
    return tree.findall("sm:url", NS)


def locations(client, url):
    return [entry.findtext("sm:loc", namespaces=NS) for entry in urls(client, url)]


def every_listed_url(client):
    """Every address in every part (all pages) and in the news sitemap."""
    found = []
    for part in index_locations(client):
        found += locations(client, local(part))
    return found + locations(client, reverse("syndication:news_sitemap"))


def part_url(section):
    return reverse("syndication:sitemap", kwargs={"section": section})


def absolute(obj):
    return ORIGIN + obj.get_absolute_url()


def test_index_lists_every_part_on_site_url_whatever_the_host(client):
    make_article()
    for host in ("testserver", "127.0.0.1"):
        assert index_locations(client, HTTP_HOST=host) == [
            ORIGIN + part_url(section) for section in SITEMAPS
        ]


def test_parts_use_site_url_whatever_the_host(client):
    article = make_article()
    assert locations(client, part_url("articles")) == [absolute(article)]
    entries = urls(client, part_url("articles"), HTTP_HOST="127.0.0.1")
    assert [entry.findtext("sm:loc", namespaces=NS) for entry in entries] == [absolute(article)]


def test_index_gives_lastmod_of_the_article_part(client):
    make_article()
    tree = fetch(client, reverse("syndication:sitemap_index"), "sitemapindex")
    lastmods = {
        part.findtext("sm:loc", namespaces=NS): part.findtext("sm:lastmod", namespaces=NS)
        for part in tree.findall("sm:sitemap", NS)
    }
    assert datetime.fromisoformat(lastmods[ORIGIN + part_url("articles")])


def test_parts_list_public_pages_with_lastmod(client):
    section, author, tag = make_section(), make_author(), make_tag()
    article = make_article(
        section=section,
        authors=[author],
        tags=[tag],
        published_at=timezone.now() - timedelta(days=3),
    )

    pages = locations(client, part_url("pages"))
    assert pages[:2] == [ORIGIN + reverse("site:home"), ORIGIN + reverse("site:latest")]
    assert pages[2:] == [ORIGIN + reverse("site:archive")]
    assert ORIGIN + "/search/" not in pages
    # A listing changed when its newest story went live; an article when it was last saved.
    for part, obj, changed in [
        ("sections", section, article.published_at),
        ("tags", tag, article.published_at),
        ("authors", author, article.published_at),
        ("articles", article, article.updated_at),
    ]:
        entries = urls(client, part_url(part))
        assert [entry.findtext("sm:loc", namespaces=NS) for entry in entries] == [absolute(obj)]
        lastmod = entries[0].findtext("sm:lastmod", namespaces=NS)
        assert date.fromisoformat(lastmod) == changed.date(), part


def test_listing_lastmod_tells_nothing_of_a_scheduled_story(client):
    section, author, tag = make_section(), make_author(), make_tag()
    scoped = {"section": section, "authors": [author], "tags": [tag]}
    live = make_article(published_at=timezone.now() - timedelta(days=3), **scoped)
    make_article(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2), **scoped
    )
    for part in ("sections", "tags", "authors"):
        (entry,) = urls(client, part_url(part))
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        assert date.fromisoformat(lastmod) == live.published_at.date(), part


def test_article_lastmod_counts_a_scheduled_story_going_live(client):
    # Saved ten days ago for a go-live yesterday, and not saved since.
    saved, went_live = timezone.now() - timedelta(days=10), timezone.now() - timedelta(days=1)
    article = make_article(published_at=went_live)
    Article.objects.filter(pk=article.pk).update(updated_at=saved)
    entries = urls(client, part_url("articles"))
    assert date.fromisoformat(entries[0].findtext("sm:lastmod", namespaces=NS)) == went_live.date()


def test_parts_paginate_at_the_limit(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article() for _ in range(5)]

    parts = index_locations(client)
    article_parts = [url for url in parts if urlsplit(url).path == part_url("articles")]
    assert article_parts == [
        ORIGIN + part_url("articles"),
        ORIGIN + part_url("articles") + "?p=2",
        ORIGIN + part_url("articles") + "?p=3",
    ]
    pages = [locations(client, local(url)) for url in article_parts]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(absolute(article) for article in articles)


@pytest.fixture
def twins():
    """One live story and non-public twins, each with a section, author and tag of its own."""

    def story(headline, **fields):
        return make_article(
            headline,
            section=make_section(),
            authors=[make_author()],
            tags=[make_tag()],
            **fields,
        )

    # Fresh, so that the news sitemap lists them too once public.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    live = story("Live story", published_at=an_hour_ago)
    unpublished = story("Unpublished twin", published_at=an_hour_ago)
    unpublished.unpublish()
    hidden = {
        "draft": story("Draft twin", live=False),
        "review": story("Review twin", live=False, status=Article.Status.IN_REVIEW),
        "scheduled": story(
            "Scheduled twin",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() + timedelta(hours=2),
        ),
        "unpublished": unpublished,
    }
    return live, hidden


def addresses(article):
    article = Article.objects.get(pk=article.pk)
    return {
        absolute(article),
        absolute(article.section),
        *(absolute(author) for author in article.authors.all()),
        *(absolute(tag) for tag in article.tags.all()),
    }


def test_leak_sweep_no_sitemap_lists_anything_not_public(client, twins):
    live, hidden = twins
    listed = every_listed_url(client)
    assert addresses(live) <= set(listed)
    assert listed.count(absolute(live)) == 2  # the articles part and the news sitemap
    for state, twin in hidden.items():
        assert not addresses(twin) & set(listed), state


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "unpublished"])
def test_publishing_a_twin_lists_it(client, twins, state):
    twin = twins[1][state]
    twin.publish(timezone.now() - timedelta(minutes=1))
    listed = every_listed_url(client)
    assert addresses(twin) <= set(listed)
    assert listed.count(absolute(twin)) == 2


def test_news_sitemap_has_the_last_two_days_only(client):
    now = timezone.now()
    fresh = make_article('BYD & Tesla "cut" <prices>', published_at=now - timedelta(hours=1))
    older = make_article(published_at=now - timedelta(hours=47))
    make_article(published_at=now - timedelta(hours=49))
    make_article(published_at=now + timedelta(hours=1))
    make_article(live=False)

    entries = urls(client, reverse("syndication:news_sitemap"))
    assert [entry.findtext("sm:loc", namespaces=NS) for entry in entries] == [
        absolute(fresh),
        absolute(older),
    ]
    for entry, article in zip(entries, [fresh, older], strict=True):
        news = entry.find("news:news", NS)
        assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME
        assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
        published = news.findtext("news:publication_date", namespaces=NS)
        assert datetime.fromisoformat(published) == article.published_at
        assert news.findtext("news:title", namespaces=NS) == article.headline


def test_news_sitemap_keeps_the_newest_up_to_its_limit(client, monkeypatch):
    monkeypatch.setattr(NewsSitemap, "limit", 2)
    now = timezone.now()
    newest = [make_article(published_at=now - timedelta(minutes=m)) for m in (1, 2)]
    make_article(published_at=now - timedelta(minutes=3))
    assert locations(client, reverse("syndication:news_sitemap")) == [absolute(a) for a in newest]


def test_robots_txt_names_both_sitemaps(client):
    response = client.get(reverse("syndication:robots_txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"].startswith("public, max-age=")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for line in [
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /preview/",
        f"Sitemap: {ORIGIN}{reverse('syndication:sitemap_index')}",
        f"Sitemap: {ORIGIN}{reverse('syndication:news_sitemap')}",
    ]:
        assert line in lines
    for line in lines:
        if line.startswith("Sitemap: "):
            assert client.get(local(line.removeprefix("Sitemap: "))).status_code == 200


def test_unknown_section_is_404(client):
    assert client.get(part_url("no-such-part")).status_code == 404


@pytest.mark.parametrize("page", BAD_PAGES)
@pytest.mark.parametrize("url", [part_url("articles"), part_url("tags"), "/news-sitemap.xml"])
def test_bad_page_is_404(client, url, page):
    make_article(tags=[make_tag()])
    assert client.get(url, {"p": page}).status_code == 404


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url, "urlset")
    return len(queries)


@pytest.mark.parametrize("part", [*SITEMAPS, "news"])
def test_queries_do_not_grow_with_the_number_of_items(client, part):
    url = reverse("syndication:news_sitemap") if part == "news" else part_url(part)

    def add(count):
        for minutes in range(count):
            make_article(
                published_at=timezone.now() - timedelta(minutes=minutes + 1),
                section=make_section(),
                authors=[make_author()],
                tags=[make_tag()],
            )

    add(1)
    few = query_count(client, url)
    add(29)
    assert query_count(client, url) == few
    if part != "pages":
        assert len(locations(client, url)) == 30


def test_a_sitemap_is_built_from_the_content_as_it_is_now(client):
    """The page cache keeps sitemaps until the content changes (tests/cache/); a copy kept
    here for a fixed time would feed it stale ones."""
    make_article()
    url = part_url("articles")
    assert len(locations(client, url)) == 1
    make_article()
    assert len(locations(client, url)) == 2
    response = client.get(url)
    assert "max-age=900" in response["Cache-Control"] and "public" in response["Cache-Control"]
