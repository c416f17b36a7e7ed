"""SQLite's full-text index of articles: an FTS5 table kept current by triggers.

SQLite drops a table's triggers when a migration rebuilds the table (as it does to add a
constraint), so `ensure_sqlite_index` runs after every migrate as well as in migration 0003;
every statement is idempotent. PostgreSQL's index lives in migration 0003 alone.
"""

SQLITE_TAGS = """(
    SELECT coalesce(group_concat(t.name, ' '), '')
    FROM articles_tag t JOIN articles_article_tags at ON at.tag_id = t.id
    WHERE at.article_id = {article})"""

SQLITE_STATEMENTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(
        headline, dek, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search (rowid, headline, dek, tags, body)
        VALUES (new.id, new.headline, new.dek, {SQLITE_TAGS.format(article="new.id")},
                newsroom_plain_text(new.body));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_update AFTER UPDATE OF headline, dek, body
        ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
        INSERT INTO articles_search (rowid, headline, dek, tags, body)
        VALUES (new.id, new.headline, new.dek, {SQLITE_TAGS.format(article="new.id")},
                newsroom_plain_text(new.body));
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tag_added
        AFTER INSERT ON articles_article_tags BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="new.article_id")}
        WHERE rowid = new.article_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tag_removed
        AFTER DELETE ON articles_article_tags BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="old.article_id")}
        WHERE rowid = old.article_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_tag_renamed
        AFTER UPDATE OF name ON articles_tag BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="articles_search.rowid")}
        WHERE rowid IN (SELECT article_id FROM articles_article_tags WHERE tag_id = new.id);
    END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_tag_added",
    "DROP TRIGGER IF EXISTS articles_search_tag_removed",
    "DROP TRIGGER IF EXISTS articles_search_tag_renamed",
    "DROP TABLE IF EXISTS articles_search",
]

SQLITE_REBUILD = [
    "DELETE FROM articles_search",
    f"""INSERT INTO articles_search (rowid, headline, dek, tags, body)
        SELECT id, headline, dek, {SQLITE_TAGS.format(article="articles_article.id")},
               newsroom_plain_text(body)
        FROM articles_article""",
]


def ensure_sqlite_index(connection):
    with connection.cursor() as cursor:
        for statement in SQLITE_STATEMENTS:
            cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM articles_search")
        indexed = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM articles_article")
        if cursor.fetchone()[0] != indexed:
            for statement in SQLITE_REBUILD:
                cursor.execute(statement)


def drop_sqlite_index(connection):
    with connection.cursor() as cursor:
        for statement in SQLITE_REVERSE:
            cursor.execute(statement)
