"""How feeds answer over HTTP: conditional GET (ETag, Last-Modified, 304), HEAD, unknown scopes,
Cache-Control, the queries each answer costs, and validators that tell nothing hidden.

`newsroom` (conftest.py) puts a draft, an in-review, a scheduled and an unpublished twin in
every scope of the two live stories; none of them may move a feed's headers.
"""

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Author, RelatedLink, Tag
from articles.syndication.feeds import feed_path
from tests.factories import image_upload, link, make_article, make_author, make_section, make_tag

from .reading import KINDS, entries, every_feed, parse, titles

pytestmark = pytest.mark.django_db

LONG_AGO = "Mon, 01 Jan 2001 00:00:00 GMT"
OTHER_ETAG = '"not-this-one"'
HEADERS = ("ETag", "Last-Modified", "Cache-Control")
# The entries, then their bylines, tags, SEE ALSO links and body images: read once, for the
# validators and the document alike.
FEED_QUERIES = 5


def headers(response):
    return {name: response.get(name) for name in HEADERS}


def cache_control(response):
    directives = {}
    for directive in response["Cache-Control"].split(","):
        name, _, value = directive.strip().partition("=")
        directives[name] = value
    return directives


def every_feeds_headers(client, newsroom):
    return {feed: headers(client.get(feed_path(*feed))) for feed in every_feed(newsroom)}


def scope_queries(scope):
    """Looking up the section, tag or author; the site's feed has none."""
    return 0 if scope is None else 1


def http_time(*articles):
    """Last-Modified of a feed with these entries: the newest change or publication."""
    return http_date(max(max(a.updated_at, a.published_at) for a in articles).timestamp())


# Conditional GET ---------------------------------------------------------------------------


def test_a_matching_etag_or_date_gives_an_empty_304_with_the_same_headers(client, newsroom):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and first["Last-Modified"]
        for request_headers in (
            {"HTTP_IF_NONE_MATCH": first["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
            # If-None-Match decides; If-Modified-Since is then not looked at.
            {"HTTP_IF_NONE_MATCH": first["ETag"], "HTTP_IF_MODIFIED_SINCE": LONG_AGO},
        ):
            for method in (client.get, client.head):
                again = method(url, **request_headers)
                assert again.status_code == 304, (scope, kind, request_headers)
                assert again.content == b""
                assert headers(again) == headers(first)


def test_an_older_date_or_another_etag_gives_the_feed(client, newsroom):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        first = client.get(url)
        for request_headers in (
            {"HTTP_IF_MODIFIED_SINCE": LONG_AGO},
            {"HTTP_IF_NONE_MATCH": OTHER_ETAG},
            {"HTTP_IF_NONE_MATCH": OTHER_ETAG, "HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        ):
            again = client.get(url, **request_headers)
            assert again.status_code == 200, (scope, kind, request_headers)
            assert again.content == first.content


def test_head_answers_like_get_without_a_body_and_other_methods_are_refused(client, newsroom):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        for header in ("Content-Type", *HEADERS):
            assert head[header] == get[header], (scope, kind, header)
        for method in (client.post, client.put, client.delete):
            assert method(url).status_code == 405


def test_an_unknown_scope_is_a_404_whatever_the_request(client, newsroom):
    # A tag and an author that only hidden articles have are unknown to readers too.
    secret_tag, secret_author = make_tag("Secret"), make_author("Secret Writer")
    newsroom.hidden["scheduled"].tags.add(secret_tag)
    make_article("Draft by a secret writer", live=False, authors=[secret_author])
    for kind in KINDS:
        urls = [
            reverse(f"syndication:{route}_{kind}", kwargs={"slug": "no-such-thing"})
            for route in ("tag_feed", "section_feed", "author_feed")
        ]
        urls += [
            reverse(f"syndication:tag_feed_{kind}", kwargs={"slug": "不存在"}),
            feed_path(secret_tag, kind),
            feed_path(secret_author, kind),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.head(url).status_code == 404, url
            assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 404, url
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=LONG_AGO).status_code == 404, url


def test_an_empty_feed_has_an_etag_and_no_last_modified(client):
    section = make_section()
    make_article("Not yet", live=False, section=section)
    for kind in KINDS:
        url = feed_path(section, kind)
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"]
        assert not first.has_header("Last-Modified")
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=LONG_AGO).status_code == 200


# Cache-Control -------------------------------------------------------------------------------


def test_every_feed_may_be_kept_feed_cache_seconds(client, newsroom):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        first = client.get(url)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        for response in (first, not_modified):
            assert cache_control(response) == {
                "public": "",
                "max-age": str(settings.FEED_CACHE_SECONDS),
                "s-maxage": str(settings.CDN_CACHE_SECONDS),
                "stale-while-revalidate": str(settings.STALE_WHILE_REVALIDATE_SECONDS),
                "stale-if-error": str(settings.STALE_IF_ERROR_SECONDS),
            }


DURATIONS = ("max-age", "s-maxage", "stale-while-revalidate", "stale-if-error")


def test_the_durations_are_the_settings(client, newsroom, settings):
    settings.FEED_CACHE_SECONDS = 123
    settings.CDN_CACHE_SECONDS = 45
    settings.STALE_WHILE_REVALIDATE_SECONDS = 7
    settings.STALE_IF_ERROR_SECONDS = 8
    url = feed_path(newsroom.tag, "atom")
    first = client.get(url)
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    for response in (first, not_modified):
        directives = cache_control(response)
        assert [directives[name] for name in DURATIONS] == ["123", "45", "7", "8"]
    settings.CDN_CACHE_SECONDS = 600  # never longer than a browser may keep it
    assert cache_control(client.get(url))["s-maxage"] == "123"


# Nothing hidden moves the headers ----------------------------------------------------------


def saved_days_ago():
    """Every story last saved days ago: a date moved by an edit now would show, to the second."""
    Article.objects.update(updated_at=F("updated_at") - timedelta(days=3))


def test_a_story_due_soon_leaves_every_header_as_it_was(client, newsroom):
    saved_days_ago()
    before = every_feeds_headers(client, newsroom)
    make_article(
        "Due in ninety seconds",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(seconds=90),
        section=newsroom.section,
        authors=[newsroom.ann],
        tags=[newsroom.tag],
    )
    # No max-age counting down to its time: that would tell the time before it is public.
    assert every_feeds_headers(client, newsroom) == before


def reschedule(article):
    article.published_at += timedelta(hours=1)
    article.save()


def retitle(article):
    article.headline += ", revised"
    article.body += "<p>More.</p>"
    article.save()


@pytest.mark.parametrize(
    ("state", "change"),
    [
        ("draft", retitle),
        ("review", retitle),
        ("scheduled", retitle),
        ("scheduled", reschedule),
        ("unpublished", retitle),
    ],
)
def test_editing_a_story_that_is_not_public_changes_no_header(client, newsroom, state, change):
    saved_days_ago()
    before = every_feeds_headers(client, newsroom)
    change(newsroom.hidden[state])
    assert every_feeds_headers(client, newsroom) == before
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        etag, last_modified = before[scope, kind]["ETag"], before[scope, kind]["Last-Modified"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_scheduled_story_shows_up_at_its_time_with_no_cron(client, newsroom, monkeypatch):
    soon = make_article(
        "Due in ninety seconds",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(seconds=90),
        tags=[newsroom.tag],
    )
    scheduled = newsroom.hidden["scheduled"]
    for scope in (None, newsroom.tag):
        url = feed_path(scope, "rss")
        before = client.get(url)
        assert soon.headline not in before.content.decode()
        assert cache_control(before)["max-age"] == str(settings.FEED_CACHE_SECONDS)

        later = timezone.now() + timedelta(hours=3)
        with monkeypatch.context() as patched:
            patched.setattr(timezone, "now", lambda later=later: later)
            after = client.get(
                url,
                HTTP_IF_NONE_MATCH=before["ETag"],
                HTTP_IF_MODIFIED_SINCE=before["Last-Modified"],
            )
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert titles(after)[:2] == ["Scheduled twin", soon.headline]
        # Dated when the newest entry went live, though nothing was saved then.
        assert after["Last-Modified"] == http_date(scheduled.published_at.timestamp())


# Last-Modified ---------------------------------------------------------------------------------


def test_last_modified_is_the_newest_change_of_a_public_entry(client, newsroom):
    for scope, kind in every_feed(newsroom):
        response = client.get(feed_path(scope, kind))
        assert response["Last-Modified"] == http_time(newsroom.older, newsroom.newer)
    newsroom.older.dek = "Corrected."
    newsroom.older.save()
    for scope, kind in every_feed(newsroom):
        response = client.get(feed_path(scope, kind))
        assert response["Last-Modified"] == http_time(newsroom.older), (scope, kind)


def test_last_modified_is_never_in_the_future(client, newsroom):
    Article.objects.filter(pk=newsroom.older.pk).update(
        updated_at=timezone.now() + timedelta(days=2)
    )
    for kind in KINDS:
        response = client.get(feed_path(None, kind))
        assert parsedate_to_datetime(response["Last-Modified"]) <= timezone.now()


# What changes the ETag ---------------------------------------------------------------------


def correct_headline(news):
    news.older.headline = "Older story, corrected"
    news.older.save()


def rename_tag_of_an_entry(news):
    batteries = Tag.objects.get(name="Batteries")
    batteries.name = "Battery cells"
    batteries.save()


def rename_author_of_an_entry(news):
    Author.objects.filter(pk=news.bo.pk).update(name="Bo Chen-Li")


def retitle_outside_link(news):
    # Not through the desk, so the article itself is not saved.
    RelatedLink.objects.filter(url="https://example.org/report").update(title="The full report")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(correct_headline, id="edit"),
        pytest.param(lambda news: news.hidden["draft"].publish(), id="publish"),
        pytest.param(lambda news: news.older.unpublish(), id="unpublish"),
        pytest.param(lambda news: news.newer.unpublish(), id="unpublish the newest"),
        pytest.param(lambda news: news.older.delete(), id="delete"),
        pytest.param(
            lambda news: news.newer.related_links.get(target_article=news.older).delete(),
            id="remove a SEE ALSO link",
        ),
        pytest.param(retitle_outside_link, id="retitle an outside SEE ALSO link"),
        pytest.param(rename_tag_of_an_entry, id="rename a tag"),
        pytest.param(rename_author_of_an_entry, id="rename an author"),
    ],
)
def test_every_change_to_what_a_feed_shows_changes_its_etag(client, newsroom, change):
    before = {feed: client.get(feed_path(*feed)) for feed in every_feed(newsroom)}
    change(newsroom)
    for (scope, kind), old in before.items():
        # A reader sends both validators back; If-None-Match decides, even when the change
        # took the newest entry away and so moved Last-Modified back.
        response = client.get(
            feed_path(scope, kind),
            HTTP_IF_NONE_MATCH=old["ETag"],
            HTTP_IF_MODIFIED_SINCE=old["Last-Modified"],
        )
        assert response.status_code == 200, (scope, kind)
        assert response.content != old.content


def test_a_change_in_a_linked_article_outside_the_scope_changes_the_etag(client, newsroom):
    outside = make_article("Outside the tag")
    link(newsroom.newer, outside, position=9)
    url = feed_path(newsroom.tag, "rss")
    before = client.get(url)
    outside.unpublish()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Outside the tag" in before.content.decode()
    assert "Outside the tag" not in after.content.decode()


def test_a_linked_article_going_live_at_its_time_changes_the_etag(client, newsroom):
    url = feed_path(None, "rss")
    before = client.get(url)
    scheduled = newsroom.hidden["scheduled"]
    # Its time arrives: nothing is saved, the clock simply passes it.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(seconds=1), updated_at=scheduled.updated_at
    )
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Scheduled twin" in after.content.decode()


def test_renaming_the_scope_changes_the_etag(client, newsroom):
    url = feed_path(newsroom.tag, "json")
    before = client.get(url)
    newsroom.tag.name = "BYD"
    newsroom.tag.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert parse(after)["title"] == "Newsroom: BYD"


def test_moving_an_author_of_an_entry_changes_the_etag(client, newsroom):
    # RSS names authors only; Atom and JSON Feed link to their pages.
    before = {kind: client.get(feed_path(None, kind)) for kind in ("atom", "json")}
    Author.objects.filter(pk=newsroom.bo.pk).update(slug="bo-chen-li")
    for kind, old in before.items():
        response = client.get(feed_path(None, kind), HTTP_IF_NONE_MATCH=old["ETag"])
        assert response.status_code == 200
        assert "/authors/bo-chen-li/" in response.content.decode()


def test_naming_a_hub_changes_the_etag(client, newsroom, settings):
    url = feed_path(newsroom.section, "atom")
    before = client.get(url)
    settings.WEBSUB_HUB_URL = "https://hub.example.com/"
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    hubs = [link.href for link in parse(after).feed.links if link.rel == "hub"]
    assert hubs == ["https://hub.example.com/"]


# Queries ---------------------------------------------------------------------------------------


def test_a_feed_costs_the_same_queries_for_one_entry_and_fifty(client, django_assert_num_queries):
    section = make_section()
    authors = [make_author() for _ in range(3)]
    tags = [make_tag() for _ in range(3)]
    targets = [make_article() for _ in range(2)]

    def story(number):
        article = make_article(
            f"Story {number}",
            section=section,
            authors=authors,
            tags=tags,
            hero_image=image_upload(),
            hero_alt="A picture",
        )
        link(article, targets[0], after=1)
        link(article, targets[1], position=1)
        link(article, url="https://example.org/", title="Elsewhere", position=2)
        return article

    def assert_queries(scopes, expected_entries):
        for scope in scopes:
            for kind in KINDS:
                count = scope_queries(scope) + FEED_QUERIES
                with django_assert_num_queries(count):
                    response = client.get(feed_path(scope, kind))
                # The link targets are public too, but only the site's feed lists them.
                expected = expected_entries + (2 if scope is None else 0)
                assert len(entries(response)) == min(expected, 50), (scope, kind)

    story(0)
    scopes = [None, section, tags[0], authors[0]]
    assert_queries(scopes, 1)
    for number in range(1, 51):
        story(number)
    assert_queries(scopes, 51)


def test_a_304_costs_the_entries_and_no_rendering(client, newsroom, django_assert_num_queries):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        first = client.get(url)
        for request_headers in (
            {"HTTP_IF_NONE_MATCH": first["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        ):
            with django_assert_num_queries(scope_queries(scope) + FEED_QUERIES):
                assert client.get(url, **request_headers).status_code == 304
