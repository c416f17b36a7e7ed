"""Comparing two snapshots: the body as text, paragraph by paragraph, lists and values as
added, removed and changed. Pure functions of the snapshots, but for `changes_since()`."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join

from .snapshots import FIELDS, PARAGRAPHS, TEXT, VALUE, fill_in_names, read

# Paragraph pairing compares every old paragraph of a rewritten stretch with every new one;
# past this many pairs it is a rewrite, shown as paragraphs removed and added.
MAX_PAIRINGS = 2500
# How alike two paragraphs must be (share of words in common) to be one paragraph changed.
SAME_PARAGRAPH = 0.5


@dataclass
class ParagraphChange:
    state: str  # "changed", "added" or "removed"
    old_number: int | None
    new_number: int | None
    html: str  # the paragraph's text, escaped, with <ins> and <del> marks

    @property
    def caption(self):
        if self.state == "added":
            return f"Paragraph {self.new_number} added"
        if self.state == "removed":
            return f"Paragraph {self.old_number} removed"
        if self.old_number != self.new_number:
            return f"Paragraph {self.new_number} changed (was paragraph {self.old_number})"
        return f"Paragraph {self.new_number} changed"


@dataclass
class FieldChange:
    """One field that differs between two versions, ready to show.

    Text fields carry `words` (the text with inserted and deleted words marked), the body
    `paragraphs`, lists `added`, `removed` and `changed` (old, new) entries, and values (and a
    list whose order alone changed) `old` and `new`.
    """

    name: str
    label: str
    kind: str
    words: str = ""
    paragraphs: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    old: str = ""
    new: str = ""


def compare(old_data, new_data, fields=None):
    """What changed from one snapshot to the other, field by field (only `fields`, if given),
    in the form's order; an empty list when nothing did."""
    old, new = read(old_data), read(new_data)
    changes = []
    for spec in FIELDS:
        if fields is not None and spec.name not in fields:
            continue
        change = FieldChange(spec.name, spec.label, spec.kind)
        before, after = old[spec.name], new[spec.name]
        if spec.kind == TEXT:
            differs = before != after
            change.words = mark_words(before, after)
        elif spec.kind == PARAGRAPHS:
            change.paragraphs = paragraph_changes(before, after)
            differs = bool(change.paragraphs)
        elif spec.kind == VALUE:
            differs = before.key != after.key
            change.old, change.new = before.text, after.text
        else:
            differs = _compare_lists(change, before, after, ordered=spec.name != "tags")
        if differs:
            changes.append(change)
    return changes


def _compare_lists(change, before, after, *, ordered):
    old_keys = {item.key: item for item in before}
    new_keys = {item.key: item for item in after}
    change.removed = [item.text for item in before if item.key not in new_keys]
    change.added = [item.text for item in after if item.key not in old_keys]
    change.changed = [
        (old_keys[item.key].text, item.text)
        for item in after
        if item.key in old_keys and old_keys[item.key].detail != item.detail
    ]
    kept_before = [item.key for item in before if item.key in new_keys]
    kept_after = [item.key for item in after if item.key in old_keys]
    reordered = ordered and kept_before != kept_after
    if reordered:
        change.old = ", ".join(item.text for item in before)
        change.new = ", ".join(item.text for item in after)
    return bool(change.added or change.removed or change.changed or reordered)


def mark_words(old, new):
    """`new` with the words deleted from `old` in <del> and those inserted in <ins>, escaped."""
    before, after = old.split(), new.split()
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(before[i1:i2])))
        if tag in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def paragraph_changes(old, new):
    """The paragraphs changed, added and removed between two lists of paragraph texts.

    Paragraphs are aligned with difflib; in a stretch rewritten between two unchanged ones,
    each old paragraph pairs with its most alike new one, in order (as difflib.Differ pairs
    lines), and the others were added or removed.
    """
    changes = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _pair(old, new, i1, i2, j1, j2)
    return changes


def _pair(old, new, i1, i2, j1, j2):
    best, best_ratio = None, SAME_PARAGRAPH
    if (i2 - i1) * (j2 - j1) <= MAX_PAIRINGS:
        for i in range(i1, i2):
            for j in range(j1, j2):
                ratio = _likeness(old[i], new[j])
                if ratio > best_ratio:
                    best, best_ratio = (i, j), ratio
    if best is None:
        removed = [
            ParagraphChange("removed", i + 1, None, format_html("<del>{}</del>", old[i]))
            for i in range(i1, i2)
        ]
        added = [
            ParagraphChange("added", None, j + 1, format_html("<ins>{}</ins>", new[j]))
            for j in range(j1, j2)
        ]
        return removed + added
    i, j = best
    changed = ParagraphChange("changed", i + 1, j + 1, mark_words(old[i], new[j]))
    return [*_pair(old, new, i1, i, j1, j), changed, *_pair(old, new, i + 1, i2, j + 1, j2)]


def _likeness(old, new):
    matcher = SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    if matcher.real_quick_ratio() <= SAME_PARAGRAPH or matcher.quick_ratio() <= SAME_PARAGRAPH:
        return 0
    return matcher.ratio()


def changes_since(article, version):
    """What changed in `article` from `version` (or the closest earlier revision) to its
    latest revision: a list of FieldChange, empty if nothing did; None when the article has
    no revision at or before `version` to compare with."""
    history = article.revisions.order_by("-version", "-pk")
    latest = history.first()
    base = history.filter(version__lte=version).first()
    if latest is None or base is None:
        return None
    return compare(*fill_in_names(base.data, latest.data))
