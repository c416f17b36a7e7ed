"""Splitting a sanitised article body into its top-level blocks ("paragraphs")."""

from html.parser import HTMLParser

from django.utils.safestring import mark_safe

VOID_ELEMENTS = {"br", "hr", "img"}


class _BlockSplitter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.blocks = []
        self._current = []

    def _flush(self):
        html = "".join(self._current).strip()
        if html:
            self.blocks.append(html)
        self._current = []

    def handle_starttag(self, tag, attrs):
        self._current.append(self.get_starttag_text())
        if tag in VOID_ELEMENTS:
            if self.depth == 0 and tag != "br":
                self._flush()
        else:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self._current.append(self.get_starttag_text())
        if self.depth == 0:
            self._flush()

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self._current.append(f"</{tag}>")
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self._flush()

    def handle_data(self, data):
        self._current.append(data)

    def handle_entityref(self, name):
        self._current.append(f"&{name};")

    def handle_charref(self, name):
        self._current.append(f"&#{name};")


def split_blocks(html):
    """Return the top-level blocks of already-sanitised HTML, each as safe HTML."""
    splitter = _BlockSplitter()
    splitter.feed(html or "")
    splitter.close()
    splitter._flush()
    return [mark_safe(block) for block in splitter.blocks]  # noqa: S308 (sanitised on save)
