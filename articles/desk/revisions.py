"""An article's history: its revisions read, compared and restored.

A revision's `data` is the snapshot `Revision.capture()` takes. Reading and comparing are pure
functions of snapshots (`describe()`, `compare()`), so one diff serves the revision pages and
the article form's "what they changed" (`changes_since()`, rendered by the include
`admin/articles/revision/diff.html`). The body is compared as text, paragraph by paragraph:
the HTML an editor wrote is never shown, only its text, escaped.

A restore (`restore()`) brings back what the article says and how it is filed: headline, dek,
body, the hero image's text, section, authors, tags, SEE ALSO links and SEO. It leaves alone
whether and when the article is published (status, publish and take-down times), its address
(slug) and its place on the front page (featured): restoring an earlier draft onto a live
article puts that version's text live. The hero image itself stays too, since a replaced image
is no longer stored; its alt text, caption and credit come back only with the same image.
Nothing is lost: the restore is saved as a new version, and the one before it stays a revision.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html, format_html_join

from articles.addresses import absolute_url
from articles.body import split_blocks
from articles.models import Article, Author, Byline, RelatedLink, Section, Tag
from articles.sanitize import html_to_text

from . import workflow

TEXT, PARAGRAPHS, VALUE, LIST = "text", "paragraphs", "value", "list"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    group: str


FIELDS = [
    Field("headline", "Headline", TEXT, "Content"),
    Field("dek", "Dek / summary", TEXT, "Content"),
    Field("body", "Body", PARAGRAPHS, "Content"),
    Field("slug", "Address (slug)", VALUE, "Content"),
    Field("hero_image", "Hero image", VALUE, "Hero image"),
    Field("hero_alt", "Hero image alt text", VALUE, "Hero image"),
    Field("hero_caption", "Hero image caption", VALUE, "Hero image"),
    Field("hero_credit", "Hero image credit", VALUE, "Hero image"),
    Field("status", "Status", VALUE, "Publication"),
    Field("published_at", "Publish time", VALUE, "Publication"),
    Field("expires_at", "Take down at", VALUE, "Publication"),
    Field("featured", "Featured", VALUE, "Publication"),
    Field("section", "Section", VALUE, "Taxonomy"),
    Field("authors", "Authors (in byline order)", LIST, "Taxonomy"),
    Field("tags", "Tags", LIST, "Taxonomy"),
    Field("related_links", "SEE ALSO links", LIST, "SEE ALSO"),
    Field("seo_title", "SEO title", VALUE, "SEO"),
    Field("seo_description", "SEO description", VALUE, "SEO"),
]

# What a restore brings back (see the module's docstring for what it leaves alone).
RESTORED = [
    "headline", "dek", "body", "hero_alt", "hero_caption", "hero_credit", "section", "authors",
    "tags", "related_links", "seo_title", "seo_description",
]  # fmt: skip
RESTORED_TEXT = ["headline", "dek", "body", "seo_title", "seo_description"]
HERO_TEXT = ["hero_alt", "hero_caption", "hero_credit"]

# A block with no text of its own (a horizontal rule); it still counts as a paragraph, as it
# does for the placement of SEE ALSO links.
NO_TEXT = "(a line, no text)"

# Paragraph pairing compares every old paragraph of a rewritten stretch with every new one;
# past this many pairs it is a rewrite, shown as paragraphs removed and added.
MAX_PAIRINGS = 2500
# How alike two paragraphs must be (share of words in common) to be one paragraph changed.
SAME_PARAGRAPH = 0.5


# Reading a snapshot --------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A value as editors read it. `key` says whether two versions hold the same one; for an
    entry of a list (an author, a tag, a link), `detail` says whether that entry changed."""

    text: str
    key: object = None
    detail: object = None


def read(data):
    """The snapshot's fields as editors read them, by name: a string for text fields, the
    body's paragraphs as text, an Item for other values, a list of Items for lists."""
    return {
        "headline": data.get("headline", ""),
        "dek": data.get("dek", ""),
        "body": body_paragraphs(data.get("body", "")),
        "slug": plain(data.get("slug", "")),
        "hero_image": plain(data.get("hero_image") or ""),
        "hero_alt": plain(data.get("hero_alt", "")),
        "hero_caption": plain(data.get("hero_caption", "")),
        "hero_credit": plain(data.get("hero_credit", "")),
        "status": status(data.get("status", "")),
        "published_at": moment(data.get("published_at")),
        "expires_at": moment(data.get("expires_at")),
        "featured": Item("yes" if data.get("featured") else "no", bool(data.get("featured"))),
        "section": section(data),
        "authors": authors(data),
        "tags": tags(data),
        "related_links": [link_item(link) for link in data.get("related_links", [])],
        "seo_title": plain(data.get("seo_title", "")),
        "seo_description": plain(data.get("seo_description", "")),
    }


def describe(data):
    """The snapshot for the revision page: (group, [(field, value)]) in the form's order."""
    values = read(data)
    groups = {}
    for spec in FIELDS:
        groups.setdefault(spec.group, []).append((spec, values[spec.name]))
    return list(groups.items())


def body_paragraphs(html):
    """The body as text, one string per top-level block (paragraph, heading, quote, list)."""
    return [html_to_text(block) or NO_TEXT for block in split_blocks(html)]


def plain(value):
    return Item(value, value)


def status(value):
    label = Article.Status(value).label if value in Article.Status.values else value
    return Item(label, value)


def moment(value):
    when = parse_datetime(value) if value else None
    if when is None:
        return Item("", None)
    return Item(f"{timezone.localtime(when):%d %b %Y, %H:%M %Z}", when)


def section(data):
    pk = data.get("section")
    if pk is None:
        return Item("", None)
    return Item(data.get("section_name") or f"section #{pk}", pk)


def authors(data):
    ids = data.get("authors", [])
    names = padded(data.get("author_names", []), len(ids))
    return [Item(name or f"author #{pk}", pk) for pk, name in zip(ids, names, strict=True)]


def tags(data):
    # Tags are matched by name, ignoring case, as the desk matches them when they are typed.
    return [Item(name, name.casefold(), name) for name in data.get("tags", [])]


def link_item(link):
    target = link.get("target_article")
    if target:
        title = link.get("target_headline") or f"article #{target}"
        slug = link.get("target_slug")
        url = absolute_url(reverse("site:detail", kwargs={"slug": slug})) if slug else "(deleted)"
        key, detail = ("article", target), (link.get("after_paragraph"),)
    else:
        title, url = link.get("title", ""), link.get("url", "")
        key, detail = ("url", url), (title, link.get("after_paragraph"))
    return Item(f"{title} → {url} ({placement(link.get('after_paragraph'))})", key, detail)


def placement(after_paragraph):
    if after_paragraph is None:
        return "at the end"
    if after_paragraph == 0:
        return "before the first paragraph"
    return f"after paragraph {after_paragraph}"


def padded(values, length):
    return [*values[:length], *[None] * (length - len(values))]


def fill_in_names(*snapshots):
    """The snapshots, those kept before revisions stored names completed from the database:
    one query per kind of row missing a name, none for newer snapshots. A row deleted since
    keeps its number."""
    section_ids, author_ids, article_ids = set(), set(), set()
    for data in snapshots:
        if data.get("section") and "section_name" not in data:
            section_ids.add(data["section"])
        if "author_names" not in data:
            author_ids.update(data.get("authors", []))
        for link in data.get("related_links", []):
            if link.get("target_article") and "target_headline" not in link:
                article_ids.add(link["target_article"])
    sections = Section.objects.in_bulk(section_ids) if section_ids else {}
    people = Author.objects.in_bulk(author_ids) if author_ids else {}
    targets = Article.objects.only("headline", "slug").in_bulk(article_ids) if article_ids else {}
    filled = []
    for data in snapshots:
        data = dict(data)
        if data.get("section") and "section_name" not in data:
            found = sections.get(data["section"])
            data["section_name"] = found.name if found else ""
        if "author_names" not in data:
            data["author_names"] = [
                people[pk].name if pk in people else "" for pk in data.get("authors", [])
            ]
        data["related_links"] = [
            _with_target_names(link, targets) for link in data.get("related_links", [])
        ]
        filled.append(data)
    return filled


def _with_target_names(link, targets):
    if not link.get("target_article") or "target_headline" in link:
        return link
    target = targets.get(link["target_article"])
    return {
        **link,
        "target_headline": target.headline if target else "",
        "target_slug": target.slug if target else "",
    }


# Comparing two snapshots ---------------------------------------------------------------------


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


# Restoring a revision ------------------------------------------------------------------------


def restore(article, revision, user):
    """Apply `revision` to `article`, save it as a new version and record the step.

    Returns what could not be restored, as messages for the editor: a section, author, tag or
    linked article deleted since is left out, never an error. Raises workflow.Refused for an
    article in the trash. Who may restore is the caller's to check (the desk asks the article
    admin whether the user may change the article).
    """
    if revision.article_id != article.pk:
        raise ValueError("The revision belongs to another article.")
    if article.trashed_at:
        raise workflow.Refused(
            f"“{article.headline}” is in the trash: restore it from the trash first."
        )
    (data,) = fill_in_names(revision.data)
    version = revision.version
    skipped = []
    public_before = workflow.was_public(article)
    with transaction.atomic():
        for name in RESTORED_TEXT:
            if name in data:
                setattr(article, name, data[name])
        _restore_hero_text(article, data, version, skipped)
        _restore_section(article, data, skipped)
        article.save()
        _restore_byline(article, data, version, skipped)
        _restore_tags(article, data, skipped)
        _restore_links(article, data, skipped)
        workflow.record(
            article,
            workflow.Action.RESTORE_REVISION,
            user=user,
            was_public=public_before,
            note=f"version {version}",
        )
    return skipped


def _restore_hero_text(article, data, version, skipped):
    if (data.get("hero_image") or "") != (article.hero_image.name or ""):
        skipped.append(
            f"The hero image, its alt text, caption and credit stay as they are: version "
            f"{version} had a different image, and a replaced image is not kept."
        )
        return
    for name in HERO_TEXT:
        if name in data:
            setattr(article, name, data[name])


def _restore_section(article, data, skipped):
    pk = data.get("section")
    if pk is None:
        article.section = None
    elif found := Section.objects.filter(pk=pk).first():
        article.section = found
    else:
        name = data.get("section_name") or f"#{pk}"
        skipped.append(f"The section “{name}” no longer exists: the section stays as it is.")


def _restore_byline(article, data, version, skipped):
    wanted = read(data)["authors"]
    found = Author.objects.in_bulk([item.key for item in wanted])
    for item in wanted:
        if item.key not in found:
            skipped.append(f"The author “{item.text}” no longer exists: left out of the byline.")
    byline = [found[item.key] for item in wanted if item.key in found]
    if not byline:
        skipped.append(f"No author of version {version} is left: the byline stays as it is.")
        return
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position)
        for position, author in enumerate(byline)
    )


def _restore_tags(article, data, skipped):
    names = data.get("tags", [])
    ids = padded(data.get("tag_ids", []), len(names))
    by_id = Tag.objects.in_bulk([pk for pk in ids if pk is not None])
    restored = []
    for pk, name in zip(ids, names, strict=True):
        # By id, so a renamed tag comes back; by name for snapshots kept without ids.
        tag = by_id.get(pk) or (
            Tag.objects.annotate(lower_name=Lower("name"))
            .filter(lower_name=Lower(Value(name)))
            .first()
        )
        if tag is None:
            skipped.append(f"The tag “{name}” no longer exists: not restored.")
        else:
            restored.append(tag)
    article.tags.set(restored)


def _restore_links(article, data, skipped):
    links = data.get("related_links", [])
    wanted = [link["target_article"] for link in links if link.get("target_article")]
    targets = Article.objects.in_bulk(wanted)
    restored = []
    for link in links:
        target = link.get("target_article")
        if target and target not in targets:
            title = link.get("target_headline") or f"article #{target}"
            skipped.append(f"The SEE ALSO link to “{title}” is left out: that article is gone.")
            continue
        restored.append(
            RelatedLink(
                article=article,
                target_article=targets.get(target) if target else None,
                url=link.get("url", ""),
                title=link.get("title", ""),
                after_paragraph=link.get("after_paragraph"),
                position=link.get("position", 0),
            )
        )
    article.related_links.all().delete()
    RelatedLink.objects.bulk_create(restored)
