"""The article body's block structure: its top-level blocks ("paragraphs"), and the SEE ALSO
markers placed between them.

A SEE ALSO box lives in the body as an empty top-level element naming its target,
``<div data-see-also="123"></div>`` (our article 123) or
``<div data-see-also="https://example.org/page"></div>`` (an outside page), so it moves with
the text around it. The `RelatedLink` rows stay the truth about targets and titles; the marker
only says where a link stands. In the editor a marker also carries ``data-title`` (the title an
editor gave an outside link, or our article's current headline) and ``data-state`` (why readers
cannot see the target yet); only the title of an outside link is ever read back.
"""

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.safestring import mark_safe

VOID_ELEMENTS = {"br", "hr", "img"}
MARKER_ATTRIBUTE = "data-see-also"
MARKER_TITLE = "data-title"
MARKER_STATE = "data-state"

_http_url = URLValidator(schemes=["http", "https"])


def marker_key(value):
    """The normal form of what a marker names, or None if it names nothing we link to:
    an article's primary key ("123") or an http(s) URL."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return str(int(value)) if int(value) > 0 else None
    try:
        _http_url(value)
    except ValidationError:
        return None
    return value


@dataclass(frozen=True)
class SeeAlsoMarker:
    key: str
    title: str = ""

    @property
    def article_id(self):
        return int(self.key) if self.key.isdigit() else None

    @property
    def url(self):
        return "" if self.key.isdigit() else self.key


def marker_html(key, title="", state=""):
    attributes = f'{MARKER_ATTRIBUTE}="{escape(key)}"'
    if title:
        attributes += f' {MARKER_TITLE}="{escape(title)}"'
    if state:
        attributes += f' {MARKER_STATE}="{escape(state)}"'
    return f"<div {attributes}></div>"


@dataclass(frozen=True)
class Block:
    """One top-level block of the body: its HTML, or the key of the SEE ALSO marker it is."""

    html: str
    see_also: str | None = None
    title: str = ""


class _Rebuilder(HTMLParser):
    """Walks sanitised HTML once, block by block, keeping SEE ALSO markers only where they
    belong: top-level, empty, naming a valid target. Other divs are unwrapped."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.blocks = []
        self._current = []
        # For every open div: True for a marker being skipped, False for one unwrapped.
        self._divs = []

    @property
    def _inside_marker(self):
        return any(self._divs)

    def _flush(self, see_also=None, title=""):
        html = "".join(self._current).strip()
        if html:
            self.blocks.append(Block(html, see_also, title))
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            self._open_div(dict(attrs))
            return
        if self._inside_marker:
            return
        self._current.append(self.get_starttag_text())
        if tag in VOID_ELEMENTS:
            if self.depth == 0 and tag != "br":
                self._flush()
        else:
            self.depth += 1

    def _open_div(self, attrs):
        key = marker_key(attrs.get(MARKER_ATTRIBUTE))
        is_marker = key is not None and self.depth == 0 and not self._inside_marker
        self._divs.append(is_marker)
        if is_marker:
            self._flush()
            title = " ".join((attrs.get(MARKER_TITLE) or "").split())
            self._current.append(marker_html(key, title))
            self._flush(see_also=key, title=title)

    def handle_startendtag(self, tag, attrs):
        if tag == "div":
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
            return
        if self._inside_marker:
            return
        self._current.append(self.get_starttag_text())
        if self.depth == 0:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "div":
            if self._divs:
                self._divs.pop()
            return
        if tag in VOID_ELEMENTS or self._inside_marker:
            return
        self._current.append(f"</{tag}>")
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self._flush()

    def handle_data(self, data):
        if not self._inside_marker:
            self._current.append(data)

    def handle_entityref(self, name):
        if not self._inside_marker:
            self._current.append(f"&{name};")

    def handle_charref(self, name):
        if not self._inside_marker:
            self._current.append(f"&#{name};")

    def run(self, html):
        self.feed(html or "")
        self.close()
        self._flush()
        return self.blocks


def body_blocks(html):
    """The top-level blocks of sanitised HTML, markers normalised and apart."""
    return _Rebuilder().run(html)


def split_blocks(html):
    """The top-level blocks' HTML, markers included, each as safe HTML."""
    return [mark_safe(block.html) for block in body_blocks(html)]  # noqa: S308 (sanitised)


def normalise_markers(html):
    """Sanitised HTML with every marker top-level, empty and valid, and no other div."""
    if "<div" not in html:
        return html  # nothing to do, and the text stays exactly as it was
    return "\n".join(block.html for block in body_blocks(html))


def read_markers(html):
    """The SEE ALSO markers of a body, in order, with the titles the editor gave them."""
    if MARKER_ATTRIBUTE not in (html or ""):
        return []
    return [
        SeeAlsoMarker(block.see_also, block.title) for block in body_blocks(html) if block.see_also
    ]


def placed_keys(html):
    """What the body's markers name: the links placed in the text."""
    if MARKER_ATTRIBUTE not in (html or ""):
        return set()
    return {block.see_also for block in body_blocks(html) if block.see_also}


def with_marker_labels(html, describe):
    """The body as the editor shows it: each marker with a title and state from
    `describe(key)`, which returns (title, state) or None to leave the marker as it is."""
    blocks = []
    for block in body_blocks(html):
        label = describe(block.see_also) if block.see_also else None
        blocks.append(marker_html(block.see_also, *label) if label else block.html)
    return "\n".join(blocks)


def without_marker_labels(html):
    """The body as it is stored: markers name their target and nothing else."""
    return "\n".join(
        marker_html(block.see_also) if block.see_also else block.html for block in body_blocks(html)
    )


def insert_markers(html, placements):
    """The body with a marker after each given block: `placements` are
    (blocks_before, key) pairs; 0 puts it first, a number past the end puts it last."""
    blocks = [block.html for block in body_blocks(html)]
    # From the last place to the first, so that earlier places keep their numbers.
    ordered = sorted(enumerate(placements), key=lambda item: (-item[1][0], -item[0]))
    for _, (blocks_before, key) in ordered:
        blocks.insert(min(max(blocks_before, 0), len(blocks)), marker_html(key))
    return "\n".join(blocks)


def display_host(url):
    """A readable stand-in title for an outside link that has none: its host and path."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url
