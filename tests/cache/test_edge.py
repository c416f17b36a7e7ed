"""The page cache at the WSGI edge: what it keeps and answers, what it leaves to Django, and
what it does when the cache or the database fails."""

import gzip
import socket
import time

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.cache import freshness
from articles.cache.edge import EdgeCache
from articles.site.pagination import cursor
from articles.syndication.feeds import feed_path
from tests.factories import make_article, make_author, make_section, make_tag

from .conftest import CLOSED_PORT_URL, WsgiClient, redis_cache

# serialized_rollback: keep what data migrations made (the roles) for the tests after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def story():
    return make_article(
        "Sodium-ion cells reach the market",
        slug="sodium-ion",
        section=make_section("Batteries", slug="batteries"),
        authors=[make_author("Ann Lee", slug="ann-lee")],
        tags=[make_tag("CATL")],
        dek="Cheaper cells for small cars.",
    )


def reader_urls():
    return [
        reverse("site:home"),
        reverse("site:latest"),
        reverse("site:detail", kwargs={"slug": "sodium-ion"}),
        reverse("site:section", kwargs={"slug": "batteries"}),
        reverse("site:tag", kwargs={"slug": "catl"}),
        reverse("site:author", kwargs={"slug": "ann-lee"}),
        reverse("site:archive"),
        reverse("search:search") + "?q=sodium",
        feed_path(),
        feed_path(kind="atom"),
        feed_path(kind="json"),
        reverse("syndication:sitemap_index"),
        reverse("syndication:sitemap", kwargs={"section": "articles"}),
        reverse("syndication:news_sitemap"),
        reverse("syndication:robots_txt"),
    ]


def without_x_cache(answer):
    return {name: value for name, value in answer.headers.items() if name != "x-cache"}


def test_every_kind_of_reader_page_is_kept_and_served_again_as_it_was(edge, story):
    for url in reader_urls():
        first, second = edge.get(url), edge.get(url)
        assert (first.status, first.x_cache, second.x_cache) == (200, "miss", "hit"), url
        assert second.body == first.body, url
        assert without_x_cache(second) == without_x_cache(first), url


def test_a_hit_costs_one_query_the_content_version(edge, story):
    for url in reader_urls():
        edge.get(url)
        with CaptureQueriesContext(connection) as queries:
            hit = edge.get(url)
        assert hit.x_cache == "hit", url
        assert [query["sql"] for query in queries] == [
            "SELECT count(*), CAST(sum(version) AS BIGINT) FROM pagecache_contentversion"
        ], url


# Encodings ------------------------------------------------------------------------------------


def test_brotli_and_gzip_as_the_client_accepts_each_decoding_to_the_page(edge, story):
    for url in [reverse("site:home"), feed_path(kind="atom"), reverse("syndication:sitemap_index")]:
        plain = edge.get(url)
        br = edge.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        gz = edge.get(url, HTTP_ACCEPT_ENCODING="gzip")
        refused = edge.get(url, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
        assert (br["Content-Encoding"], gz["Content-Encoding"]) == ("br", "gzip"), url
        assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
        assert brotli.decompress(br.body) == gzip.decompress(gz.body) == plain.body, url
        assert refused.body == plain.body
        for answer in (plain, br, gz):
            assert int(answer["Content-Length"]) == len(answer.body)
            assert "Accept-Encoding" in answer["Vary"]
        # Each encoding is its own representation, with its own strong validator.
        assert len({plain["ETag"], br["ETag"], gz["ETag"]}) == 3


def test_a_tiny_body_is_kept_as_it_is(edge, story):
    edge.get(reverse("syndication:robots_txt"))
    robots = edge.get(reverse("syndication:robots_txt"), HTTP_ACCEPT_ENCODING="br, gzip")
    assert robots.x_cache == "hit" and "content-encoding" not in robots.headers
    assert b"Sitemap:" in robots.body


# Validators -----------------------------------------------------------------------------------


def test_if_none_match_gets_a_304_from_the_cache_with_the_caching_headers(edge, story):
    url = reverse("site:detail", kwargs={"slug": "sodium-ion"})
    page = edge.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = edge.get(url)
    for tag in [page["ETag"], plain["ETag"], "W/" + page["ETag"], f'"other", {page["ETag"]}', "*"]:
        not_modified = edge.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=tag)
        assert (not_modified.status, not_modified.x_cache, not_modified.body) == (304, "hit", b"")
        for name in ("Cache-Control", "ETag", "Vary"):
            assert not_modified[name] == page[name], (tag, name)
    assert edge.get(url, HTTP_IF_NONE_MATCH='"other"').status == 200


def test_if_modified_since_gets_a_304_where_the_page_has_a_date(edge, story):
    url = feed_path(kind="rss")
    feed = edge.get(url)
    assert edge.get(url, HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"]).status == 304
    long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert edge.get(url, HTTP_IF_MODIFIED_SINCE=long_ago).status == 200
    # If-None-Match decides when both are sent.
    both = {"HTTP_IF_MODIFIED_SINCE": feed["Last-Modified"], "HTTP_IF_NONE_MATCH": '"x"'}
    assert edge.get(url, **both).status == 200


def test_a_revalidation_that_misses_still_fills_the_cache(edge, story):
    url = reverse("site:home")
    etag = edge.get(url)["ETag"]
    make_article("A draft", live=False)  # a write: a new key, and the same page
    revalidated = edge.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (revalidated.status, revalidated.x_cache) == (304, "miss")
    assert edge.get(url).x_cache == "hit"


# HEAD -----------------------------------------------------------------------------------------


def test_head_fills_and_reads_the_cache_and_sends_no_body(edge, story):
    url = reverse("site:home")
    first = edge.head(url)
    page = edge.get(url)
    again = edge.head(url)
    assert (first.x_cache, page.x_cache, again.x_cache) == ("miss", "hit", "hit")
    assert first.body == again.body == b""
    assert first["Content-Length"] == again["Content-Length"] == str(len(page.body))


# What bypasses the cache ----------------------------------------------------------------------


@pytest.fixture
def calls(pages_cache, monkeypatch):
    """Every read and write of the "pages" cache."""
    seen = []
    for name in ("get", "set"):
        method = getattr(pages_cache, name)

        def spy(*args, method=method, name=name, **kwargs):
            seen.append(name)
            return method(*args, **kwargs)

        monkeypatch.setattr(pages_cache, name, spy)
    return seen


def test_query_parameters_reader_pages_do_not_read_bypass_the_cache(edge, story):
    search = reverse("search:search")
    assert edge.get(search + "?q=sodium&page=1").x_cache == "miss"
    assert edge.get(search + "?page=1&q=sodium").x_cache == "hit"  # the same page
    newer = reverse("site:latest") + f"?after={cursor(story)}"  # a list's cursor
    assert [edge.get(newer).x_cache for _ in range(2)] == ["miss", "hit"]
    for url in ["/?utm_source=mail", "/?q=sodium&x=1", search + "?q=sodium&q=sodium", "/?PAGE=1"]:
        for _ in range(2):
            answer = edge.get(url)
            assert (answer.status, answer.x_cache) == (200, "bypass"), url


def test_staff_never_read_or_fill_the_cache(edge, story, editor, calls):
    staff = Client()
    staff.force_login(editor)
    session = f"sessionid={staff.cookies['sessionid'].value}"
    url = reverse("site:home")
    for cookie in [session, "csrftoken=abc", f"_ga=1; {session}", "messages=x"]:
        answer = edge.get(url, HTTP_COOKIE=cookie)
        assert (answer.status, answer.x_cache) == (200, "bypass"), cookie
    assert calls == []
    preview = edge.get(reverse("site:preview", args=[story.pk]), HTTP_COOKIE=session)
    assert (preview.status, preview.x_cache) == (200, "bypass")
    assert b"Preview" in preview.body
    assert calls == []
    # A reader's own cookies (say, analytics) change nothing.
    assert edge.get(url, HTTP_COOKIE="_ga=1").x_cache == "miss"


def test_private_paths_and_other_methods_are_never_looked_up(edge, story, calls):
    for url in ["/admin/login/", "/desk/", "/share/abc/", f"/preview/{story.pk}/", "/media/x.jpg"]:
        assert edge.get(url).x_cache == "bypass", url
    assert edge.get("/", method="POST").x_cache == "bypass"
    assert edge.get("/", HTTP_AUTHORIZATION="Basic eDp5").x_cache == "bypass"
    assert calls == []


def test_a_share_link_never_reads_or_fills_the_cache(edge, editor, calls):
    from articles.desk.share import share_url

    draft = make_article("Under legal review", live=False)
    url = share_url(draft.share_links.create(created_by=editor))
    answer = edge.get(url)
    assert (answer.status, answer.x_cache) == (200, "bypass")
    assert b"Under legal review" in answer.body
    assert calls == []


def test_every_root_route_is_a_reader_room_or_a_private_prefix():
    from newsroom.urls import urlpatterns

    reader_rooms = {"site", "search", "syndication"}
    for pattern in urlpatterns:
        if getattr(pattern, "namespace", None) in reader_rooms:
            continue
        prefix = "/" + str(pattern.pattern).split("<")[0]
        assert prefix.startswith(EdgeCache(None).private_prefixes), prefix


# What is not kept -----------------------------------------------------------------------------


@pytest.fixture
def test_views(settings):
    settings.ROOT_URLCONF = "tests.cache.urls"


def test_only_what_a_view_marked_public_and_fit_for_anyone_is_kept(edge, story, test_views):
    for url in [
        "/articles/no-such-story/",  # 404
        "/test/with-cookie/",
        "/test/by-cookie/",
        "/test/private/",
        "/test/unmarked/",
    ]:
        assert [edge.get(url).x_cache for _ in range(2)] == ["miss", "miss"], url


def test_moved_and_trashed_stories_answers_are_kept(edge, story):
    story.slug = "sodium-ion-cells"
    story.save()
    trashed = make_article("Withdrawn", slug="withdrawn", first_published_at=timezone.now())
    trashed.trashed_at = timezone.now()
    trashed.save()
    moved = [edge.get("/articles/sodium-ion/") for _ in range(2)]
    assert [(a.status, a.x_cache) for a in moved] == [(301, "miss"), (301, "hit")]
    assert moved[1]["Location"] == "/articles/sodium-ion-cells/"
    gone = [edge.get("/articles/withdrawn/") for _ in range(2)]
    assert [(a.status, a.x_cache) for a in gone] == [(410, "miss"), (410, "hit")]


def test_the_headers_a_page_varies_on_are_part_of_its_key(edge, test_views):
    url = "/test/by-language/"
    answers = [edge.get(url, HTTP_ACCEPT_LANGUAGE=lang) for lang in ["fr", "de", "fr", "de"]]
    assert [a.x_cache for a in answers] == ["miss", "miss", "hit", "hit"]
    assert [a.text for a in answers] == ["<p>fr</p>", "<p>de</p>", "<p>fr</p>", "<p>de</p>"]
    assert edge.get(url).text == "<p>none</p>"


# Failures -------------------------------------------------------------------------------------


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a Redis that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


def test_a_cache_that_is_down_or_hangs_means_uncached_pages_not_errors(
    settings, story, silent_port
):
    for url in [CLOSED_PORT_URL, f"redis://127.0.0.1:{silent_port}/5"]:
        with override_settings(CACHES={**settings.CACHES, "pages": redis_cache(url)}):
            edge = WsgiClient(EdgeCache(WSGIHandler()))
            started = time.monotonic()
            answers = [edge.get(page) for page in reader_urls() for _ in range(2)]
            assert time.monotonic() - started < 5, url  # one short wait, then none for a while
            assert {(a.status, a.x_cache) for a in answers} == {(200, "bypass")}, url


def test_a_database_that_cannot_be_asked_leaves_the_request_to_django(edge, story, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(freshness, "connection", Unreachable())
    answer = edge.get(reverse("site:home"))
    assert (answer.status, answer.x_cache) == (200, "bypass")
