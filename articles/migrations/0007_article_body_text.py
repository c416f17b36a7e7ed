"""The body as readers read it (`html_to_text`), stored, and the search index built from it.

PostgreSQL's index read the body through regexp_replace before: tags stripped a second way,
and entities left to its parser. Its parser takes anything shaped like a tag or an entity for
markup and drops it, so plain text reaches it with & and < escaped (articles_search_escape);
headlines ("Use <video>") and snippets gain from that too. SQLite's triggers read body_text.
"""

from django.db import migrations, models

from articles.sanitize import html_to_text
from articles.search.index import (
    SQLITE_ARTICLE_TRIGGERS,
    drop_sqlite_triggers,
    ensure_sqlite_index,
)

BATCH = 1000

POSTGRES_TAGS = """(
            SELECT string_agg(t.name, ' ')
            FROM articles_tag t JOIN articles_article_tags at ON at.tag_id = t.id
            WHERE at.article_id = a.id)"""

POSTGRES_SQL = f"""
-- Plain text as PostgreSQL's parser must read it: & and < escaped, so no words pass for markup.
CREATE FUNCTION articles_search_escape(plain text) RETURNS text AS $$
    SELECT replace(replace(coalesce(plain, ''), '&', '&amp;'), '<', '&lt;');
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION articles_search_refresh(target bigint) RETURNS void AS $$
    INSERT INTO articles_search (article_id, document)
    SELECT a.id,
        setweight(to_tsvector('english', articles_search_escape(a.headline)), 'A')
        || setweight(to_tsvector('english', articles_search_escape(a.dek)), 'B')
        || setweight(to_tsvector('english', articles_search_escape({POSTGRES_TAGS})), 'B')
        || setweight(to_tsvector('english', articles_search_escape(a.body_text)), 'C')
    FROM articles_article a WHERE a.id = target
    ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
$$ LANGUAGE sql;

DROP TRIGGER articles_search_article ON articles_article;
CREATE TRIGGER articles_search_article AFTER INSERT OR UPDATE OF headline, dek, body_text
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_article_trigger();

SELECT articles_search_refresh(id) FROM articles_article;
"""

# Migration 0003's definitions.
POSTGRES_REVERSE_SQL = f"""
CREATE OR REPLACE FUNCTION articles_search_refresh(target bigint) RETURNS void AS $$
    INSERT INTO articles_search (article_id, document)
    SELECT a.id,
        setweight(to_tsvector('english', coalesce(a.headline, '')), 'A')
        || setweight(to_tsvector('english', coalesce(a.dek, '')), 'B')
        || setweight(to_tsvector('english', coalesce({POSTGRES_TAGS}, '')), 'B')
        || setweight(to_tsvector('english',
            regexp_replace(coalesce(a.body, ''), '<[^>]*>', ' ', 'g')), 'C')
    FROM articles_article a WHERE a.id = target
    ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
$$ LANGUAGE sql;

DROP TRIGGER articles_search_article ON articles_article;
CREATE TRIGGER articles_search_article AFTER INSERT OR UPDATE OF headline, dek, body
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_article_trigger();

DROP FUNCTION articles_search_escape(text);

SELECT articles_search_refresh(id) FROM articles_article;
"""


def fill_body_text(apps, schema_editor):
    """Every article's body_text, a batch at a time however many articles there are.

    Batches follow the primary key rather than .iterator(): on SQLite a read in progress is
    not isolated from writes to the same table on the same connection.
    """
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while batch := list(articles.filter(pk__gt=last).only("body")[:BATCH]):
        for article in batch:
            article.body_text = html_to_text(article.body)
        articles.bulk_update(batch, ["body_text"])
        last = batch[-1].pk


def index_body_text(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_SQL)
    elif vendor == "sqlite":
        ensure_sqlite_index(schema_editor.connection, rebuild=True)


def index_body(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE_SQL)
    elif vendor == "sqlite":
        # SQLite cannot drop a column that a trigger names; the index keeps what it has.
        drop_sqlite_triggers(schema_editor.connection, SQLITE_ARTICLE_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_public_index_in_list_order")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_body_text, index_body, elidable=False),
    ]
