from django.urls import path
from django.views.decorators.http import require_safe

from .feeds import ArticleFeed, AtomFeed, AuthorFeed, JsonFeed, RssFeed, SectionFeed, TagFeed


def feed_routes(prefix, feed_class, name):
    """The RSS, Atom and JSON Feed routes of one scope, named `<name>_rss` and so on."""
    return [
        path(f"{prefix}feed/", require_safe(feed_class(RssFeed)), name=f"{name}_rss"),
        path(f"{prefix}feed/atom/", require_safe(feed_class(AtomFeed)), name=f"{name}_atom"),
        path(f"{prefix}feed.json", require_safe(feed_class(JsonFeed)), name=f"{name}_json"),
    ]


urlpatterns = [
    *feed_routes("", ArticleFeed, "feed"),
    *feed_routes("sections/<slug:slug>/", SectionFeed, "section_feed"),
    *feed_routes("tags/<uslug:slug>/", TagFeed, "tag_feed"),
    *feed_routes("authors/<slug:slug>/", AuthorFeed, "author_feed"),
]
