"""The feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) of the site and of each section, tag and author.

RSS and Atom are read by a real client, feedparser; the elements their specifications require
are checked on the XML itself. JSON Feed is read as JSON and checked against version 1.1.
"""

from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from articles.syndication.feeds import FORMATS, feed_path
from tests.factories import make_article, make_author, make_section, make_tag

from .reading import HIDDEN, KINDS, SITE, entries, every_feed, parse, xml

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ATOM = "{http://www.w3.org/2005/Atom}"


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
            f"{SITE}{newsroom.chart.file.url}",  # a body image, as a plain <img>
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
