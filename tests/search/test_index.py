"""The body's text and the index built from it: on save, in the migration, in SQLite's triggers."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from articles.search.backends import SearchResults
from articles.search.index import ensure_sqlite_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BODY = "<p>A super<strong>charger</strong> network for AT&amp;T&nbsp;&amp; R&amp;D.</p>"
TEXT = "A supercharger network for AT&T & R&D."
BEFORE_BODY_TEXT = [("articles", "0006_public_index_in_list_order")]


def test_saving_fills_body_text():
    article = make_article(body=BODY)
    assert article.body_text == TEXT
    article.body = "<p>Now about &lt;canvas&gt;.</p><p>Two paragraphs.</p>"
    article.save()
    article.refresh_from_db()
    assert article.body_text == "Now about <canvas>. Two paragraphs."


@pytest.mark.django_db(transaction=True)
def test_migration_fills_body_text_and_the_index_for_existing_articles():
    batch = importlib.import_module("articles.migrations.0007_article_body_text").BATCH
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_BODY_TEXT)
    try:
        OldArticle = executor.loader.project_state(BEFORE_BODY_TEXT).apps.get_model(
            "articles", "Article"
        )
        published_at = timezone.now() - timedelta(hours=1)
        OldArticle.objects.bulk_create(
            OldArticle(
                headline=f"Old story {number}",
                headline_key=f"oldstory{number}",
                slug=f"old-story-{number}",
                body=BODY,
                status="published",
                published_at=published_at,
            )
            for number in range(batch + 1)  # more than one batch
        )
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(Article.objects.values_list("body_text", flat=True)) == {TEXT}
    assert SearchResults("supercharger").count() == batch + 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_ensuring_the_sqlite_index_replaces_older_triggers():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_search_insert")
        cursor.execute(
            "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles_article "
            "BEGIN SELECT 1; END"
        )
    ensure_sqlite_index(connection)
    ensure_sqlite_index(connection)
    make_article("Charging story", body=BODY)
    assert [hit.article.headline for hit in SearchResults("supercharger")[0:20]] == [
        "Charging story"
    ]
