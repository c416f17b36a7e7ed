"""Reading a revision's snapshot (what `Revision.capture()` keeps) as editors read it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.addresses import absolute_url
from articles.body import body_blocks, placed_keys
from articles.models import Article, Author, Section
from articles.sanitize import html_to_text

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

# A block with no text of its own (a horizontal rule); it still counts as a paragraph.
NO_TEXT = "(a line, no text)"


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
        "body": body_paragraphs(data.get("body", ""), data.get("related_links", [])),
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
        "related_links": link_items(data.get("related_links", []), data.get("body", "")),
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


def body_paragraphs(html, links=()):
    """The body as text, one string per top-level block (paragraph, heading, quote, list),
    a SEE ALSO box as "SEE ALSO: <title>", the way reporters file it."""
    titles = {link_key(link): link_title(link) for link in links}
    return [
        f"SEE ALSO: {titles.get(block.see_also) or block.see_also}"
        if block.see_also
        else html_to_text(block.html) or NO_TEXT
        for block in body_blocks(html)
    ]


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


def link_key(link):
    """A snapshot's link as the body's markers name it."""
    return str(link["target_article"]) if link.get("target_article") else link.get("url", "")


def link_title(link):
    if target := link.get("target_article"):
        return link.get("target_headline") or f"article #{target}"
    return link.get("title", "")


def link_items(links, html):
    in_text = placed_keys(html)
    return [link_item(link, link_key(link) in in_text) for link in links]


def link_item(link, in_text):
    title = link_title(link)
    if target := link.get("target_article"):
        slug = link.get("target_slug")
        url = absolute_url(reverse("site:detail", kwargs={"slug": slug})) if slug else "(deleted)"
        key, detail = ("article", target), (in_text,)
    else:
        url = link.get("url", "")
        key, detail = ("url", url), (title, in_text)
    placement = "in the text" if in_text else "at the end"
    return Item(f"{title} → {url} ({placement})", key, detail)


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
