"""The one allow-list for HTML that editors write and readers see."""

import re
import unicodedata

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "b", "i",
    "u", "s", "sub", "sup", "code", "pre", "hr", "a", "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# Characters XML 1.0 forbids; they would also break feeds.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMPTY_DOCUMENT = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def clean_html(html):
    """Sanitise rich text to the allow-list; script, handlers and javascript: URLs go."""
    cleaned = _cleaner.clean(strip_control_characters(html or "")).strip()
    return "" if _EMPTY_DOCUMENT.match(cleaned) else cleaned


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
