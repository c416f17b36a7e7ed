"""The feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) of the site and of each section, tag and author.

RSS and Atom are read by a real client, feedparser; the elements their specifications require
are checked on the XML itself. JSON Feed is read as JSON and checked against version 1.1.
"""

import calendar
import html
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Tag
from articles.syndication.feeds import FORMATS, feed_path
from tests.factories import image_upload, link, make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"  # SITE_URL in the test settings
KINDS = [feed.kind for feed in FORMATS]
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = ("Draft twin", "Review twin", "Scheduled twin", "Unpublished twin")


# Reading feeds as a client does ------------------------------------------------------------


def is_json_feed(response):
    return response["Content-Type"].startswith("application/feed+json")


def parse(response):
    """feedparser's reading of an RSS or Atom feed, or the JSON of a JSON Feed."""
    assert response.status_code == 200, response.status_code
    if is_json_feed(response):
        return json.loads(response.content)
    feed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def xml(response):
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def timestamp(parsed):
    return calendar.timegm(parsed) if parsed else None


def entries(response):
    """The entries of any of the three formats, as comparable dicts, in the feed's order."""
    feed = parse(response)
    if is_json_feed(response):
        return [json_entry(item) for item in feed["items"]]
    return [feedparser_entry(entry) for entry in feed.entries]


def feedparser_entry(entry):
    enclosure = entry.enclosures[0] if entry.get("enclosures") else None
    return {
        "id": entry.id,
        "title": entry.title,
        "url": entry.link,
        "content": entry.content[0].value,
        # RSS descriptions and Atom summaries are HTML; the dek is plain text.
        "summary": html.unescape(entry["summary"]) if "summary" in entry else None,
        "published": timestamp(entry.get("published_parsed")),
        # `in`, not get(): feedparser would stand in the published time for a missing one.
        "updated": timestamp(entry.updated_parsed) if "updated_parsed" in entry else None,
        "authors": [author.name for author in entry.get("authors", [])],
        "tags": [tag.term for tag in entry.get("tags", [])],
        "enclosure": enclosure and (enclosure.href, int(enclosure.length), enclosure.type),
    }


def json_entry(item):
    attachment = item["attachments"][0] if item.get("attachments") else None
    return {
        "id": item["id"],
        "title": item["title"],
        "url": item["url"],
        "content": item["content_html"],
        "summary": item.get("summary"),
        "published": int(datetime.fromisoformat(item["date_published"]).timestamp()),
        "updated": int(datetime.fromisoformat(item["date_modified"]).timestamp()),
        "authors": [author["name"] for author in item.get("authors", [])],
        "tags": item["tags"],
        "enclosure": attachment
        and (attachment["url"], attachment["size_in_bytes"], attachment["mime_type"]),
        "image": item.get("image"),
    }


class _Addresses(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src")]


def addresses(content):
    parser = _Addresses()
    parser.feed(content)
    return parser.found


class _AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.found.append((attrs["type"], attrs["href"]))


def autodiscovery(page):
    parser = _AlternateLinks()
    parser.feed(page.content.decode())
    return parser.found


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# Content ------------------------------------------------------------------------------------


@pytest.fixture
def newsroom():
    now = timezone.now()
    section = make_section("Electric Vehicles", slug="ev")
    ann, bo = make_author("Ann Lee", slug="ann-lee"), make_author("Bo Chen", slug="bo-chen")
    tag, batteries = make_tag("比亚迪 BYD"), make_tag("Batteries")
    scoped = {"section": section, "authors": [ann], "tags": [tag]}
    older = make_article("Older story", published_at=now - timedelta(days=2), **scoped)
    newer = make_article(
        "Newer story",
        section=section,
        authors=[ann, bo],
        tags=[tag, batteries],
        published_at=now - timedelta(hours=1),
        dek="Sodium-ion cells & <prices> fall.",
        body=(
            '<p>First, <a href="/articles/older-story/">the older story</a>.</p>'
            '<p><img src="/media/chart.png" alt="Chart"></p>'
            '<p>Third <a href="notes/">paragraph</a>.</p>'
        ),
        hero_image=image_upload("battery.png"),
        hero_alt="A battery pack",
        hero_credit="Photo: Newsroom",
    )
    hidden = {
        "draft": make_article("Draft twin", live=False, **scoped),
        "review": make_article(
            "Review twin", live=False, status=Article.Status.IN_REVIEW, **scoped
        ),
        "scheduled": make_article(
            "Scheduled twin",
            status=Article.Status.PUBLISHED,
            published_at=now + timedelta(hours=2),
            **scoped,
        ),
        "unpublished": make_article("Unpublished twin", **scoped),
    }
    hidden["unpublished"].unpublish()
    link(newer, older, after=1, position=0)
    link(newer, hidden["draft"], after=2, position=1)
    link(newer, hidden["scheduled"], position=2)
    link(newer, url="https://example.org/report", title="The report", position=3)
    return SimpleNamespace(
        section=section,
        ann=ann,
        bo=bo,
        tag=tag,
        older=older,
        newer=newer,
        hidden=hidden,
        scopes=[None, section, tag, ann],
    )


def every_feed(newsroom):
    return [(scope, kind) for scope in newsroom.scopes for kind in KINDS]


# Entries --------------------------------------------------------------------------------------


def test_every_feed_lists_the_public_articles_newest_first(client, newsroom):
    for scope, kind in every_feed(newsroom):
        response = client.get(feed_path(scope, kind))
        assert response["Content-Type"] == CONTENT_TYPES[kind]
        titles = [entry["title"] for entry in entries(response)]
        assert titles == ["Newer story", "Older story"], (scope, kind)


def test_an_entry_carries_id_link_dates_authors_tags_summary_and_hero_image(client, newsroom):
    newer, older = newsroom.newer, newsroom.older
    year = newer.first_published_at.year
    hero_url = f"{SITE}{newer.hero_image.url}"
    for kind in KINDS:
        first, second = entries(client.get(feed_path(None, kind)))
        assert first["id"] == f"tag:news.example.com,{year}:article-{newer.pk}"
        assert first["url"] == f"{SITE}/articles/newer-story/"
        assert first["published"] == int(newer.published_at.timestamp())
        if kind != "rss":  # RSS 2.0 has no updated time
            assert first["updated"] == int(newer.updated_at.timestamp())
        assert first["authors"] == ["Ann Lee", "Bo Chen"]
        assert sorted(first["tags"]) == ["Batteries", "比亚迪 BYD"]
        assert first["summary"] == "Sodium-ion cells & <prices> fall."
        assert first["enclosure"] == (hero_url, newer.hero_image.size, "image/png")
        assert second["enclosure"] is None
        assert second["summary"] in (None, second["content"])  # feedparser falls back on it
        older_year = older.first_published_at.year
        assert second["id"] == f"tag:news.example.com,{older_year}:article-{older.pk}"


def test_the_hero_image_is_also_the_media_element_and_the_json_image(client, newsroom):
    newer = newsroom.newer
    assert entries(client.get(feed_path(None, "json")))[0]["image"] == SITE + newer.hero_image.url
    for kind in ("rss", "atom"):
        entry = parse(client.get(feed_path(None, kind))).entries[0]
        (media,) = entry.media_content
        assert media["url"] == f"{SITE}{newer.hero_image.url}"
        assert media["type"] == "image/png"
        assert int(media["filesize"]) == newer.hero_image.size
        assert (media["width"], media["height"]) == ("64", "36")
        assert entry.media_credit[0]["content"] == "Photo: Newsroom"


def test_the_content_is_the_full_body_with_see_also_in_place_and_absolute_urls(client, newsroom):
    contents = set()
    for kind in KINDS:
        content = entries(client.get(feed_path(None, kind)))[0]["content"]
        contents.add(content)
        order = [
            content.index("First,"),
            content.index(">Older story</a>"),  # SEE ALSO after paragraph 1
            content.index('alt="Chart"'),
            content.index("Third"),
            content.index(">The report</a>"),  # SEE ALSO at the end
        ]
        assert order == sorted(order), kind
        for hidden in HIDDEN:
            assert hidden not in content
        assert addresses(content) == [
            f"{SITE}/articles/older-story/",
            f"{SITE}/articles/older-story/",
            f"{SITE}/media/chart.png",
            f"{SITE}/articles/newer-story/notes/",
            "https://example.org/report",
        ]
    assert len(contents) == 1, "every format carries the same content"


def test_the_id_stays_when_the_slug_and_headline_change(client, newsroom):
    before = entries(client.get(feed_path(None, "atom")))[0]
    newsroom.newer.slug = "a-new-address"
    newsroom.newer.headline = "A new headline"
    newsroom.newer.save()
    after = entries(client.get(feed_path(None, "atom")))[0]
    assert after["id"] == before["id"]
    assert after["url"] == f"{SITE}/articles/a-new-address/"


def test_at_most_fifty_entries(client, newsroom):
    for number in range(50):
        make_article(f"Extra {number}", published_at=timezone.now() - timedelta(minutes=number))
    for kind in KINDS:
        titles = [entry["title"] for entry in entries(client.get(feed_path(None, kind)))]
        assert titles == [f"Extra {number}" for number in range(50)]


def test_an_article_whose_hero_file_is_missing_has_no_enclosure(client, newsroom):
    newsroom.newer.hero_image.storage.delete(newsroom.newer.hero_image.name)
    for kind in KINDS:
        assert entries(client.get(feed_path(None, kind)))[0]["enclosure"] is None


# What the specifications require ------------------------------------------------------------------


def test_rss_has_what_rss_2_requires(client, newsroom):
    for scope in newsroom.scopes:
        rss = xml(client.get(feed_path(scope, "rss")))
        assert rss.tag == "rss" and rss.get("version") == "2.0"
        channel = rss.find("channel")
        for required in ("title", "link", "description"):
            assert channel.findtext(required), (scope, required)
        items = channel.findall("item")
        assert items
        for item in items:
            assert item.findtext("title") or item.findtext("description")
            guid = item.find("guid")
            assert guid.text.startswith("tag:news.example.com,")
            assert guid.get("isPermaLink") == "false"
            assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        enclosure = items[0].find("enclosure")
        assert set(enclosure.attrib) == {"url", "length", "type"}


def test_atom_has_what_rfc_4287_requires(client, newsroom):
    for scope in newsroom.scopes:
        feed = xml(client.get(feed_path(scope, "atom")))
        for required in ("id", "title", "updated"):
            assert feed.findtext(f"{ATOM}{required}"), (scope, required)
        feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
        self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [link.get("href") for link in self_links] == [SITE + feed_path(scope, "atom")]
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{required}"), (scope, required)
            assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
            alternates = [
                link
                for link in entry.findall(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"
            ]
            assert len(alternates) == 1
            assert entry.find(f"{ATOM}content").get("type") == "html"


def test_json_feed_has_what_version_1_1_requires(client, newsroom):
    for scope in newsroom.scopes:
        feed = parse(client.get(feed_path(scope, "json")))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(feed["title"], str) and feed["title"]
        assert feed["feed_url"] == SITE + feed_path(scope, "json")
        assert feed["home_page_url"].startswith(SITE)
        assert "author" not in feed  # the 1.0 field; 1.1 has `authors`
        assert [author["name"] for author in feed["authors"]]
        assert feed["items"]
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            datetime.fromisoformat(item["date_published"])
            datetime.fromisoformat(item["date_modified"])
            assert "author" not in item


def test_feed_level_title_link_description_language_self_link_updated_and_icon(client, newsroom):
    icon = f"{SITE}/static/img/feed-icon.png"
    expected = {
        None: ("Newsroom", f"{SITE}/"),
        newsroom.section: ("Newsroom: Electric Vehicles", f"{SITE}/sections/ev/"),
        newsroom.tag: ("Newsroom: 比亚迪 BYD", SITE + newsroom.tag.get_absolute_url()),
        newsroom.ann: ("Newsroom: Ann Lee", f"{SITE}/authors/ann-lee/"),
    }
    for scope, kind in every_feed(newsroom):
        title, home = expected[scope]
        feed = parse(client.get(feed_path(scope, kind)))
        if kind == "json":
            assert (feed["title"], feed["home_page_url"]) == (title, home)
            assert feed["description"] and feed["language"] == "en-us"
            assert feed["icon"] == feed["favicon"] == icon
            continue
        meta = feed.feed
        assert (meta.title, meta.link, meta.language) == (title, home, "en-us"), (scope, kind)
        assert meta.subtitle
        assert meta.updated_parsed
        links = {link.rel: link.href for link in meta.links}
        assert links["self"] == SITE + feed_path(scope, kind)
        assert "hub" not in links  # no WEBSUB_HUB_URL in the test settings
        assert (meta.image.href if kind == "rss" else meta.icon) == icon


# Text ------------------------------------------------------------------------------------------


def test_any_script_emoji_and_markup_characters_arrive_intact_and_escaped_once(client):
    headline = "比亚迪 🚗 R&D <AI> > hype"
    tag = make_tag("电池 & <cells> 🔋")
    author = make_author("Zoë & Co")
    article = make_article(headline, authors=[author], tags=[tag])
    escaped_once = "R&amp;D &lt;AI&gt; &gt; hype"
    for scope in (None, tag, author):
        for kind in KINDS:
            response = client.get(feed_path(scope, kind))
            (entry,) = entries(response)
            assert entry["title"] == headline
            assert entry["tags"] == ["电池 & <cells> 🔋"]
            assert entry["authors"] == ["Zoë & Co"]
            if kind != "json":
                raw = response.content.decode()
                assert escaped_once in raw and "&amp;amp;" not in raw
    assert parse(client.get(feed_path(tag, "atom"))).feed.title == "Newsroom: 电池 & <cells> 🔋"
    assert article.headline == headline


def test_characters_xml_forbids_are_removed(client):
    section = make_section("Cars\x01", slug="cars")
    author = make_author("Ann\x0b Lee")
    tag = make_tag("BYD")
    article = make_article(section=section, authors=[author], tags=[tag])
    # Saving cleans headlines and tags; rows written some other way may still hold them.
    # (Not NUL: PostgreSQL refuses to store it.)
    Article.objects.filter(pk=article.pk).update(headline="Bad\x01 news\x1f", dek="A\x08 dek")
    Tag.objects.filter(pk=tag.pk).update(name="B\x02YD")
    for scope in (None, section, author, tag):
        for kind in KINDS:
            (entry,) = entries(client.get(feed_path(scope, kind)))
            assert entry["title"] == "Bad news"
            assert entry["summary"] == "A dek"
            assert entry["authors"] == ["Ann Lee"]
            assert entry["tags"] == ["BYD"]
    assert parse(client.get(feed_path(section, "rss"))).feed.title == "Newsroom: Cars"


# Visibility --------------------------------------------------------------------------------------


def test_nothing_that_is_not_public_appears_in_any_feed(client, newsroom):
    for scope, kind in every_feed(newsroom):
        raw = client.get(feed_path(scope, kind)).content.decode()
        for hidden in HIDDEN:
            assert hidden not in raw, (scope, kind, hidden)


def test_publishing_the_draft_twin_puts_it_in_every_feed(client, newsroom):
    newsroom.hidden["draft"].publish()
    for scope, kind in every_feed(newsroom):
        titles = [entry["title"] for entry in entries(client.get(feed_path(scope, kind)))]
        assert titles[0] == "Draft twin", (scope, kind)
        newer = entries(client.get(feed_path(None, kind)))[1]
        assert ">Draft twin</a>" in newer["content"]  # its SEE ALSO link shows now too


def test_a_scheduled_article_appears_at_its_time_with_no_cron_and_no_stale_feed(
    client, newsroom, monkeypatch
):
    soon = make_article(
        "Due in ninety seconds",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(seconds=90),
        tags=[newsroom.tag],
    )
    for scope in (None, newsroom.tag):
        before = client.get(feed_path(scope, "rss"))
        assert soon.headline not in before.content.decode()
        # No cache may keep the feed past the moment the article goes live.
        max_age = int(before["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert 0 < max_age <= 90

        later = timezone.now() + timedelta(hours=3)
        with monkeypatch.context() as patched:
            patched.setattr(timezone, "now", lambda later=later: later)
            after = client.get(feed_path(scope, "rss"), HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        titles = [entry["title"] for entry in entries(after)]
        assert titles[:2] == ["Scheduled twin", soon.headline]


# HTTP ------------------------------------------------------------------------------------------


def test_conditional_get_gives_an_empty_304(client, newsroom):
    for scope, kind in every_feed(newsroom):
        url = feed_path(scope, kind)
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"]
        assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
        for headers in (
            {"HTTP_IF_NONE_MATCH": first["ETag"]},
            {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        ):
            again = client.get(url, **headers)
            assert again.status_code == 304, (scope, kind, headers)
            assert again.content == b""
            assert again["ETag"] == first["ETag"]
        stale = client.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
        assert stale.status_code == 200


def test_a_304_costs_the_scope_lookup_and_three_queries(client, newsroom):
    for scope in newsroom.scopes:
        url = feed_path(scope, "atom")
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        # the version, then the names of the entries' tags and authors
        assert len(queries) == (3 if scope is None else 4)


def correct_headline(news):
    news.older.headline = "Older story, corrected"
    news.older.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(correct_headline, id="edit"),
        pytest.param(lambda news: news.hidden["draft"].publish(), id="publish"),
        pytest.param(lambda news: news.older.unpublish(), id="unpublish"),
        pytest.param(lambda news: news.older.delete(), id="delete"),
        pytest.param(
            lambda news: news.newer.related_links.get(target_article=news.older).delete(),
            id="remove a SEE ALSO link",
        ),
    ],
)
def test_every_change_to_what_a_feed_shows_changes_its_etag(client, newsroom, change):
    before = {feed: client.get(feed_path(*feed)) for feed in every_feed(newsroom)}
    change(newsroom)
    for (scope, kind), old in before.items():
        response = client.get(feed_path(scope, kind), HTTP_IF_NONE_MATCH=old["ETag"])
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


def test_renaming_the_scope_changes_the_etag(client, newsroom):
    url = feed_path(newsroom.tag, "json")
    before = client.get(url)
    newsroom.tag.name = "BYD"
    newsroom.tag.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert parse(after)["title"] == "Newsroom: BYD"


def test_renaming_a_tag_or_author_of_an_entry_changes_the_etag(client, newsroom):
    url = feed_path(None, "atom")
    before = client.get(url)
    batteries = Tag.objects.get(name="Batteries")
    batteries.name = "Battery cells"
    batteries.save()
    middle = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert middle.status_code == 200 and "Battery cells" in middle.content.decode()
    bo = Author.objects.get(slug="bo-chen")
    bo.name = "Bo Chen-Li"
    bo.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=middle["ETag"])
    assert after.status_code == 200 and "Bo Chen-Li" in after.content.decode()


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


def test_last_modified_is_never_in_the_future(client, newsroom):
    from email.utils import parsedate_to_datetime

    Article.objects.filter(pk=newsroom.older.pk).update(
        updated_at=timezone.now() + timedelta(days=2)
    )
    response = client.get(feed_path(None, "rss"))
    assert parsedate_to_datetime(response["Last-Modified"]) <= timezone.now()


def test_editing_a_draft_that_never_went_out_keeps_the_etag(client, newsroom):
    url = feed_path(None, "rss")
    etag = client.get(url)["ETag"]
    newsroom.hidden["draft"].save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_head_works_and_other_methods_are_refused(client, newsroom):
    for kind in KINDS:
        url = feed_path(newsroom.section, kind)
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
            assert head[header] == get[header]
        assert client.post(url).status_code == 405


def test_an_unknown_tag_section_or_author_gives_a_404(client, newsroom):
    for kind in KINDS:
        for route in ("tag_feed", "section_feed", "author_feed"):
            url = reverse(f"syndication:{route}_{kind}", kwargs={"slug": "no-such-thing"})
            assert client.get(url).status_code == 404, url
        missing_tag = reverse(f"syndication:tag_feed_{kind}", kwargs={"slug": "不存在"})
        assert client.get(missing_tag).status_code == 404


def test_the_query_count_is_the_same_for_one_entry_and_fifty(client):
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

    story(0)
    # The link targets are public too, but only the site's feed lists them.
    scopes = [None, section, tags[0], authors[0]]
    urls = [feed_path(scope, kind) for scope in scopes for kind in KINDS]
    with_one = {url: query_count(client, url) for url in urls}
    assert [len(entries(client.get(url))) for url in urls] == [3] * 3 + [1] * 9

    for number in range(1, 51):
        story(number)
    with_fifty = {url: query_count(client, url) for url in urls}
    assert [len(entries(client.get(url))) for url in urls] == [50] * 12
    assert with_fifty == with_one
    assert max(with_one.values()) <= 8


# Autodiscovery --------------------------------------------------------------------------------


def test_every_page_names_the_feeds_that_fit_it(client, newsroom):
    def site_and(scope=None):
        scopes = [scope, None] if scope else [None]
        return [(feed.mime_type, feed_path(each, feed.kind)) for each in scopes for feed in FORMATS]

    pages = {
        reverse("site:home"): site_and(),
        reverse("site:latest"): site_and(),
        newsroom.newer.get_absolute_url(): site_and(),
        newsroom.section.get_absolute_url(): site_and(newsroom.section),
        newsroom.tag.get_absolute_url(): site_and(newsroom.tag),
        newsroom.ann.get_absolute_url(): site_and(newsroom.ann),
    }
    for page, expected in pages.items():
        found = autodiscovery(client.get(page))
        assert found == expected, page
        for mime_type, href in found:
            assert client.get(href)["Content-Type"] == f"{mime_type}; charset=utf-8"
