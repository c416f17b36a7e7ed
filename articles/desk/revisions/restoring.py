"""Restoring a revision onto its article, as a new version (see the package's docstring
for what a restore brings back and what it leaves alone)."""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from articles.models import Article, Author, Byline, RelatedLink, Section, Tag

from .. import workflow
from .snapshots import fill_in_names, padded, read

# What a restore brings back (the package's docstring says what it leaves alone).
RESTORED = [
    "headline", "dek", "body", "hero_alt", "hero_caption", "hero_credit", "section", "authors",
    "tags", "related_links", "seo_title", "seo_description",
]  # fmt: skip
RESTORED_TEXT = ["headline", "dek", "body", "seo_title", "seo_description"]
HERO_TEXT = ["hero_alt", "hero_caption", "hero_credit"]


def restore(article, revision, user):
    """Apply `revision` to `article`, save it as a new version and record the step.

    Returns what could not be restored, as messages for the editor: a section, author, tag or
    linked article deleted since is left out, never an error. Raises workflow.Refused for an
    article in the trash. Who may restore is the caller's to check (the desk asks the article
    admin whether the user may change the article).
    """
    if revision.article_id not in (article.pk, article.draft_of_id):
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
                position=link.get("position", 0),
            )
        )
    article.related_links.all().delete()
    RelatedLink.objects.bulk_create(restored)
