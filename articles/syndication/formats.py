"""Feed formats: Django's RSS and Atom generators with full content, every author, the hero
image and the WebSub hub, and a JSON Feed 1.1 generator in the same shape."""

import json

from django.utils import feedgenerator

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def add_media(handler, item):
    """The hero image as Media RSS, which readers use for the picture beside an entry."""
    if not item["enclosures"]:
        return
    enclosure, image = item["enclosures"][0], item["image"]
    attributes = {
        "url": enclosure.url,
        "type": enclosure.mime_type,
        "fileSize": enclosure.length,
        "medium": "image",
    }
    if image["width"]:
        attributes.update(width=str(image["width"]), height=str(image["height"]))
    handler.startElement("media:content", attributes)
    # No media:description for the alt text: feedparser would take it for the entry's summary.
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class RssFeed(feedgenerator.Rss201rev2Feed):
    kind, label, mime_type = "rss", "RSS", "application/rss+xml"
    content_type = f"{mime_type}; charset=utf-8"

    def rss_attributes(self):
        namespaces = {"xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS}
        return {**super().rss_attributes(), **namespaces}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})
        handler.startElement("image", {})
        handler.addQuickElement("url", self.feed["icon_url"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        handler.addQuickElement("content:encoded", item["content"])
        add_media(handler, item)


class AtomFeed(feedgenerator.Atom1Feed):
    kind, label, mime_type = "atom", "Atom", "application/atom+xml"
    content_type = f"{mime_type}; charset=utf-8"

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["hub_url"]:
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})
        handler.addQuickElement("icon", self.feed["icon_url"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})
        add_media(handler, item)


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); Django ships no generator for it."""

    kind, label, mime_type = "json", "JSON Feed", "application/feed+json"
    content_type = f"{mime_type}; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.document(), ensure_ascii=False))

    def document(self):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "icon": feed["icon_url"],
            "favicon": feed["icon_url"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "items": [self.item_document(item) for item in self.items],
        }
        if feed["hub_url"]:
            document["hubs"] = [{"type": "WebSub", "url": feed["hub_url"]}]
        return document

    def item_document(self, item):
        document = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content"],
            "date_published": item["pubdate"].isoformat(),
            "date_modified": item["updateddate"].isoformat(),
            "tags": list(item["categories"]),
        }
        if item["authors"]:
            document["authors"] = item["authors"]
        if item["summary"]:
            document["summary"] = item["summary"]
        if item["enclosures"]:
            enclosure = item["enclosures"][0]
            document["image"] = enclosure.url
            document["attachments"] = [
                {
                    "url": enclosure.url,
                    "mime_type": enclosure.mime_type,
                    "size_in_bytes": int(enclosure.length),
                }
            ]
        return document
