"""Reading feeds as a client does: RSS and Atom through feedparser, JSON Feed as JSON."""

import calendar
import html
import json
import xml.etree.ElementTree as ET  # noqa: S405 (our own output)
from datetime import datetime

import feedparser

from articles.syndication.feeds import FORMATS

SITE = "https://news.example.com"  # SITE_URL in the test settings
KINDS = [feed.kind for feed in FORMATS]
HIDDEN = ("Draft twin", "Review twin", "Scheduled twin", "Unpublished twin")


def every_feed(newsroom):
    """(scope, kind) of every feed the `newsroom` fixture's articles appear in."""
    return [(scope, kind) for scope in newsroom.scopes for kind in KINDS]


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


def titles(response):
    return [entry["title"] for entry in entries(response)]


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
