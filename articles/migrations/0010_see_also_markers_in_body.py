"""SEE ALSO placements move into the body: each link placed "after paragraph N" becomes a
marker element at that place in the text (and in every kept revision), then the column goes.

It uses the body's block splitting as it is now (articles.body), which counts blocks the way
the column did.
"""

from django.db import migrations, models
from django.db.models import Q

from articles.body import body_blocks, insert_markers


def _key(link):
    return str(link["target_article"]) if link.get("target_article") else link.get("url", "")


def _placed(body, links):
    """`body` with markers for the links placed inside it, and those links' keys."""
    count = len(body_blocks(body))
    placements = [
        (link["after_paragraph"], _key(link))
        for link in links
        if link.get("after_paragraph") is not None and link["after_paragraph"] <= count
    ]
    return (insert_markers(body, placements) if placements else body), placements


def markers_from_placements(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    RelatedLink = apps.get_model("articles", "RelatedLink")
    Revision = apps.get_model("articles", "Revision")
    _forget_repeated_urls(RelatedLink)
    placed = RelatedLink.objects.filter(after_paragraph__isnull=False).order_by(
        "article", "position", "pk"
    )
    by_article = {}
    for link in placed.values("article", "target_article", "url", "after_paragraph"):
        by_article.setdefault(link["article"], []).append(link)
    for article in Article.objects.filter(pk__in=by_article).only("pk", "body"):
        body, _ = _placed(article.body, by_article[article.pk])
        Article.objects.filter(pk=article.pk).update(body=body)
    for revision in Revision.objects.filter(data__has_key="related_links").iterator():
        links = revision.data.get("related_links") or []
        if not any("after_paragraph" in link for link in links):
            continue
        revision.data["body"], _ = _placed(revision.data.get("body", ""), links)
        for link in links:
            link.pop("after_paragraph", None)
        revision.save(update_fields=["data"])


def _forget_repeated_urls(RelatedLink):
    # An outside address is now linked at most once per article, as an article is.
    seen = set()
    for link in RelatedLink.objects.exclude(url="").order_by("article", "position", "pk"):
        if (link.article_id, link.url) in seen:
            link.delete()
        seen.add((link.article_id, link.url))


def placements_from_markers(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    RelatedLink = apps.get_model("articles", "RelatedLink")
    for article in Article.objects.filter(body__contains="data-see-also").only("pk", "body"):
        blocks, paragraphs = [], 0
        for block in body_blocks(article.body):
            if not block.see_also:
                blocks.append(block.html)
                paragraphs += 1
                continue
            links = RelatedLink.objects.filter(article=article)
            if block.see_also.isdigit():
                links = links.filter(target_article_id=int(block.see_also))
            else:
                links = links.filter(url=block.see_also, target_article=None)
            links.update(after_paragraph=paragraphs)
        Article.objects.filter(pk=article.pk).update(body="\n".join(blocks))


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_public_rule_covering_indexes")]

    operations = [
        migrations.RunPython(markers_from_placements, placements_from_markers, elidable=False),
        migrations.RemoveField(model_name="relatedlink", name="after_paragraph"),
        migrations.AddConstraint(
            model_name="relatedlink",
            constraint=models.UniqueConstraint(
                condition=~Q(url=""),
                fields=("article", "url"),
                name="related_link_url_once",
                violation_error_message="This article already links to that address.",
            ),
        ),
    ]
