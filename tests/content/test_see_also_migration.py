"""The migration that turns "after paragraph N" placements into markers in the body (and in
every kept revision), and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, RelatedLink, Revision

BEFORE = [("articles", "0009_public_rule_covering_indexes")]
AFTER = [("articles", "0010_see_also_markers_in_body")]
BODY = "<p>One</p><h2>Two</h2><p>Three</p>"


def old_models(executor, target):
    apps = executor.loader.project_state(target).apps
    return (apps.get_model("articles", name) for name in ("Article", "RelatedLink", "Revision"))


def make_old_article(OldArticle, name, body=BODY):
    return OldArticle.objects.create(
        headline=name,
        headline_key=name.lower(),
        slug=name.lower(),
        body=body,
        status="published",
        published_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_placements_become_markers_at_the_same_place_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldArticle, OldLink, OldRevision = old_models(executor, BEFORE)
        article = make_old_article(OldArticle, "Citing")
        first, second, third = (make_old_article(OldArticle, f"T{n}") for n in range(3))
        OldLink.objects.create(article=article, target_article=first, after_paragraph=0)
        OldLink.objects.create(article=article, target_article=second, after_paragraph=2)
        OldLink.objects.create(
            article=article, url="https://example.org/a", title="A", after_paragraph=2, position=1
        )
        # Past the end, and none: both stay in the closing block.
        OldLink.objects.create(article=article, target_article=third, after_paragraph=9)
        OldLink.objects.create(article=article, url="https://example.org/end", title="End")
        # A repeated outside address (now refused) is kept once.
        OldLink.objects.create(article=article, url="https://example.org/end", title="Again")
        OldRevision.objects.create(
            article=article,
            version=1,
            data={
                "body": BODY,
                "related_links": [
                    {"target_article": second.pk, "url": "", "title": "", "after_paragraph": 1}
                ],
            },
        )
        ids = {"first": first.pk, "second": second.pk, "article": article.pk}
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Article.objects.get(pk=ids["article"])
    assert migrated.body == (
        f'<div data-see-also="{ids["first"]}"></div>\n<p>One</p>\n<h2>Two</h2>\n'
        f'<div data-see-also="{ids["second"]}"></div>\n'
        '<div data-see-also="https://example.org/a"></div>\n<p>Three</p>'
    )
    assert RelatedLink.objects.filter(article=migrated).count() == 5
    assert RelatedLink.objects.filter(url="https://example.org/end").count() == 1
    kept = Revision.objects.get(article=migrated).data
    assert kept["body"] == f'<p>One</p>\n<div data-see-also="{ids["second"]}"></div>\n' + (
        "<h2>Two</h2>\n<p>Three</p>"
    )
    assert "after_paragraph" not in kept["related_links"][0]
    migrated_page = Article.objects.with_everything().get(pk=ids["article"])
    parts, end = migrated_page.body_with_links()
    assert [link.display_title for link in end] == ["T2", "End"]

    # And back: the places return to the column, the markers leave the body.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldArticle, OldLink, _ = old_models(executor, BEFORE)
        assert OldArticle.objects.get(pk=ids["article"]).body == (
            "<p>One</p>\n<h2>Two</h2>\n<p>Three</p>"
        )
        places = dict(
            OldLink.objects.filter(article_id=ids["article"]).values_list(
                "title", "after_paragraph"
            )
        )
        assert places["A"] == 2 and places["End"] is None
        by_target = dict(
            OldLink.objects.filter(article_id=ids["article"], url="").values_list(
                "target_article_id", "after_paragraph"
            )
        )
        assert (by_target[ids["first"]], by_target[ids["second"]]) == (0, 2)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
