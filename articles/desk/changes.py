"""Changes to a live story, prepared as a pending draft while readers keep the live version.

A published article is never edited in place. "Edit" makes (or opens) its pending draft: an
unpublished copy, with the same bylines, tags and SEE ALSO links, that the desk edits like any
draft. "Publish changes" copies the draft onto the live article in one transaction, moves the
draft's revisions to the live article and removes the draft; "Discard changes" keeps the
draft's content as a revision of the live article, then removes the draft. Nothing is lost.
"""

from django.db import transaction

from articles.models import Article, Byline, RelatedLink, Revision

from .workflow import Action, Refused, can_publish, record

# What the pending draft carries over to the live article. The address (slug) stays the live
# one: a live story moves to a new address only when an editor changes it after unpublishing.
CONTENT_FIELDS = [
    "headline", "dek", "body", "hero_image", "hero_width", "hero_height", "hero_rendered",
    "hero_alt", "hero_caption", "hero_credit", "section", "featured", "seo_title",
    "seo_description", "expires_at",
]  # fmt: skip


def pending_draft(article):
    return Article.objects.filter(draft_of=article).first()


@transaction.atomic
def prepare(live, *, user):
    """The live article's pending draft, made now as a copy if there is none."""
    if live.status != Article.Status.PUBLISHED or live.draft_of_id:
        raise Refused("Only a published article has a draft of changes.")
    if draft := pending_draft(live):
        return draft
    draft = Article(
        draft_of=live,
        status=Article.Status.DRAFT,
        slug=f"{live.slug[:180]}-changes-{live.pk}",
        published_at=live.published_at,
        **{name: getattr(live, name) for name in CONTENT_FIELDS},
    )
    draft.save()
    _copy_relations(live, draft)
    Revision.capture(draft, user=user, action="Draft of changes started")
    return draft


@transaction.atomic
def publish(draft, *, user):
    """Copy the pending draft onto its live article, which readers then see."""
    if not can_publish(user):
        raise Refused("Only editors can publish changes to a live article.")
    live = Article.objects.select_for_update().get(pk=draft.draft_of_id)
    if draft.hero_image and not draft.hero_alt.strip():
        raise Refused(f"“{draft.headline}” was not published: its hero image needs alt text.")
    for name in CONTENT_FIELDS:
        setattr(live, name, getattr(draft, name))
    live.save()
    _copy_relations(draft, live)
    draft.revisions.update(article=live)
    draft.delete()
    record(live, Action.PUBLISH_CHANGES, user=user, was_public=True)
    return live


@transaction.atomic
def discard(draft, *, user):
    """Remove the pending draft; its content stays as a revision of the live article."""
    live = draft.draft_of
    Revision.capture(draft, user=user, action="Discarded draft of changes")
    draft.revisions.update(article=live)
    draft.delete()
    return live


def _copy_relations(source, target):
    """Bylines, tags and SEE ALSO links of `source`, in order, become `target`'s."""
    target.tags.set(source.tags.all())
    target.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=target, author_id=line.author_id, position=line.position)
        for line in source.bylines.all()
    )
    target.related_links.all().delete()
    # A draft's link to the article it changes would make the live article link to itself.
    never = {target.pk, source.pk}
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=target,
            target_article_id=link.target_article_id,
            url=link.url,
            title=link.title,
            position=link.position,
        )
        for link in source.related_links.all()
        if link.target_article_id not in never
    )
