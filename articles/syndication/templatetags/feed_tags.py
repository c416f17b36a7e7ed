from django import template
from django.utils.html import format_html_join

from ..feeds import FORMATS, feed_path, feed_title

register = template.Library()


@register.simple_tag
def feed_links(scope=None):
    """Autodiscovery links: the feeds of the page's tag, section or author, then the site's."""
    scopes = [scope, None] if scope else [None]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        (
            (feed.mime_type, f"{feed_title(each)} ({feed.label})", feed_path(each, feed.kind))
            for each in scopes
            for feed in FORMATS
        ),
    )
