"""A full-text index of articles, kept up to date by the database itself.

PostgreSQL: a table of weighted tsvectors (headline A, dek and tags B, body C) with a GIN index.
SQLite: an FTS5 table with the same columns. Triggers on articles, their tags and tag names keep
either one current, whatever writes the rows. SQLite's triggers read the body's text, which
arrives in migration 0007: they are created there and after every migrate (see
articles/search/index.py), so here only the table.
"""

from django.db import migrations

from articles.search.index import create_sqlite_table, drop_sqlite_index

POSTGRES_SQL = """
-- No foreign key: the triggers below keep it in step, and Django's flush may then TRUNCATE
-- articles without knowing about this table.
CREATE TABLE articles_search (
    article_id bigint PRIMARY KEY,
    document tsvector NOT NULL
);
CREATE INDEX articles_search_document_gin ON articles_search USING gin (document);

CREATE FUNCTION articles_search_refresh(target bigint) RETURNS void AS $$
    INSERT INTO articles_search (article_id, document)
    SELECT a.id,
        setweight(to_tsvector('english', coalesce(a.headline, '')), 'A')
        || setweight(to_tsvector('english', coalesce(a.dek, '')), 'B')
        || setweight(to_tsvector('english', coalesce((
            SELECT string_agg(t.name, ' ')
            FROM articles_tag t JOIN articles_article_tags at ON at.tag_id = t.id
            WHERE at.article_id = a.id), '')), 'B')
        || setweight(to_tsvector('english', regexp_replace(coalesce(a.body, ''), '<[^>]*>', ' ', 'g')), 'C')
    FROM articles_article a WHERE a.id = target
    ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
$$ LANGUAGE sql;

CREATE FUNCTION articles_search_article_trigger() RETURNS trigger AS $$
BEGIN
    PERFORM articles_search_refresh(NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION articles_search_tags_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM articles_search_refresh(OLD.article_id);
    ELSE
        PERFORM articles_search_refresh(NEW.article_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION articles_search_tag_name_trigger() RETURNS trigger AS $$
BEGIN
    PERFORM articles_search_refresh(at.article_id)
    FROM articles_article_tags at WHERE at.tag_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER articles_search_article AFTER INSERT OR UPDATE OF headline, dek, body
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_article_trigger();
CREATE FUNCTION articles_search_forget_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE articles_search;
    ELSE
        DELETE FROM articles_search WHERE article_id = OLD.id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER articles_search_forget AFTER DELETE
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_search_forget_trigger();
CREATE TRIGGER articles_search_truncate AFTER TRUNCATE
    ON articles_article FOR EACH STATEMENT EXECUTE FUNCTION articles_search_forget_trigger();
CREATE TRIGGER articles_search_tags AFTER INSERT OR DELETE
    ON articles_article_tags FOR EACH ROW EXECUTE FUNCTION articles_search_tags_trigger();
CREATE TRIGGER articles_search_tag_name AFTER UPDATE OF name
    ON articles_tag FOR EACH ROW EXECUTE FUNCTION articles_search_tag_name_trigger();

SELECT articles_search_refresh(id) FROM articles_article;
"""

POSTGRES_REVERSE_SQL = """
DROP TRIGGER IF EXISTS articles_search_article ON articles_article;
DROP TRIGGER IF EXISTS articles_search_tags ON articles_article_tags;
DROP TRIGGER IF EXISTS articles_search_tag_name ON articles_tag;
DROP TRIGGER IF EXISTS articles_search_forget ON articles_article;
DROP TRIGGER IF EXISTS articles_search_truncate ON articles_article;
DROP FUNCTION IF EXISTS articles_search_forget_trigger();
DROP FUNCTION IF EXISTS articles_search_article_trigger();
DROP FUNCTION IF EXISTS articles_search_tags_trigger();
DROP FUNCTION IF EXISTS articles_search_tag_name_trigger();
DROP FUNCTION IF EXISTS articles_search_refresh(bigint);
DROP TABLE IF EXISTS articles_search;
"""

def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_SQL)
    elif vendor == "sqlite":
        create_sqlite_table(schema_editor.connection)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE_SQL)
    elif vendor == "sqlite":
        drop_sqlite_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_roles")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
