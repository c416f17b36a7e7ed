"""The one allow-list for HTML that editors write and readers see."""

import html
import re
import unicodedata

import nh3
from django.utils.html import strip_tags

from .body import MARKER_ATTRIBUTE, MARKER_TITLE, normalise_markers

# No <img>: an image in a body is one of our uploads, placed by a marker that names it,
# <figure data-image="12"></figure> (articles/models/images.py); an outside image address
# would be a tracking pixel in every feed reader that shows the story.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "b", "i",
    "u", "s", "sub", "sup", "code", "pre", "hr", "a", "figure", "figcaption",
    "div",  # only as a SEE ALSO marker (articles/body.py); any other div is unwrapped
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "div": {MARKER_ATTRIBUTE, MARKER_TITLE},
    "figure": {"data-image"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# What pages render into a feed entry beyond the body: body images, as plain <img> elements.
FEED_TAGS = ALLOWED_TAGS | {"img"}
FEED_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}}


def _only_digit_image_ids(element, attribute, value):
    if attribute == "data-image" and not (value.isascii() and value.isdigit()):
        return None
    return value


def _cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, **options):
    return nh3.Cleaner(
        tags=tags,
        attributes=attributes,
        attribute_filter=_only_digit_image_ids,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        **options,
    )


_body_cleaner = _cleaner()

# Characters XML 1.0 forbids; they would also break feeds.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMPTY_DOCUMENT = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")
# What is left of a figure whose image was an outside one, or whose marker was forged.
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>")


def clean_html(html):
    """Sanitise rich text to the allow-list; script, handlers and javascript: URLs go, and
    SEE ALSO markers stand only where they may."""
    cleaned = normalise_markers(_body_cleaner.clean(strip_control_characters(html or "")))
    cleaned = _EMPTY_FIGURE.sub("", cleaned).strip()
    return "" if _EMPTY_DOCUMENT.match(cleaned) else cleaned


def with_absolute_urls(html, base):
    """A feed entry's HTML (a sanitised body with its images rendered) with relative addresses
    resolved against `base`, for feeds, which readers show away from the site. Pictures become
    plain <img> elements: feed readers know no <picture>, srcset or lazy loading."""
    cleaner = _cleaner(FEED_TAGS, FEED_ATTRIBUTES, url_relative=("rewrite_with_base", base))
    return cleaner.clean(html)


def strip_control_characters(text):
    return _XML_FORBIDDEN.sub("", text or "")


def clean_text(text):
    """Plain-text fields: normalised Unicode, no control characters, no stray spacing."""
    text = unicodedata.normalize("NFC", strip_control_characters(text))
    return " ".join(text.split())


def headline_key(headline):
    """How headlines are matched: case, punctuation and spacing do not count."""
    folded = unicodedata.normalize("NFKD", headline or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|pre)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html_text):
    """Readable text of sanitised HTML: tags gone, entities decoded, blocks apart.

    The one conversion: the search index, snippets, summaries and word counts all use it.
    """
    if not html_text:
        return ""
    spaced = _BLOCK_END.sub(" \\g<0>", html_text)
    return " ".join(html.unescape(strip_tags(spaced)).split())
