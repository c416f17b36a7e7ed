"""SQLite's full-text index of articles: an FTS5 table kept current by triggers.

The triggers read `body_text`, the body as `html_to_text` made it when the article was saved.
SQLite drops a table's triggers when a migration rebuilds the table (as it does to add a
constraint), so `ensure_sqlite_index` runs after every migrate and re-creates them; every
statement is idempotent. Migration 0003 creates only the table: the triggers need
`body_text`, which arrives in migration 0007. PostgreSQL's index lives in those migrations.
"""

SQLITE_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(
    headline, dek, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"""

SQLITE_TAGS = """(
    SELECT coalesce(group_concat(t.name, ' '), '')
    FROM articles_tag t JOIN articles_article_tags at ON at.tag_id = t.id
    WHERE at.article_id = {article})"""

SQLITE_TRIGGERS = {
    "articles_search_insert": f"""AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search (rowid, headline, dek, tags, body)
        VALUES (new.id, new.headline, new.dek, {SQLITE_TAGS.format(article="new.id")},
                new.body_text);
    END""",
    "articles_search_update": f"""AFTER UPDATE OF headline, dek, body_text
        ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
        INSERT INTO articles_search (rowid, headline, dek, tags, body)
        VALUES (new.id, new.headline, new.dek, {SQLITE_TAGS.format(article="new.id")},
                new.body_text);
    END""",
    "articles_search_delete": """AFTER DELETE ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
    END""",
    "articles_search_tag_added": f"""AFTER INSERT ON articles_article_tags BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="new.article_id")}
        WHERE rowid = new.article_id;
    END""",
    "articles_search_tag_removed": f"""AFTER DELETE ON articles_article_tags BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="old.article_id")}
        WHERE rowid = old.article_id;
    END""",
    "articles_search_tag_renamed": f"""AFTER UPDATE OF name ON articles_tag BEGIN
        UPDATE articles_search SET tags = {SQLITE_TAGS.format(article="articles_search.rowid")}
        WHERE rowid IN (SELECT article_id FROM articles_article_tags WHERE tag_id = new.id);
    END""",
}

# The triggers that read articles_article's columns; SQLite cannot drop a column they name.
SQLITE_ARTICLE_TRIGGERS = ["articles_search_insert", "articles_search_update"]

SQLITE_REBUILD = [
    "DELETE FROM articles_search",
    f"""INSERT INTO articles_search (rowid, headline, dek, tags, body)
        SELECT id, headline, dek, {SQLITE_TAGS.format(article="articles_article.id")}, body_text
        FROM articles_article""",
]


def create_sqlite_table(connection):
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_TABLE)


def ensure_sqlite_index(connection, *, rebuild=False):
    """The table, the triggers as defined here, and every article indexed.

    The triggers are dropped and created again, so a database made with older definitions
    gets these. Without `rebuild`, the index is refilled only when it holds a different number
    of rows than there are articles.
    """
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_TABLE)
        for name, definition in SQLITE_TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"CREATE TRIGGER {name} {definition}")
        if not rebuild:
            cursor.execute("SELECT count(*) FROM articles_search")
            indexed = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM articles_article")
            rebuild = cursor.fetchone()[0] != indexed
        if rebuild:
            for statement in SQLITE_REBUILD:
                cursor.execute(statement)


def drop_sqlite_triggers(connection, names=SQLITE_TRIGGERS):
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_sqlite_index(connection):
    drop_sqlite_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS articles_search")
