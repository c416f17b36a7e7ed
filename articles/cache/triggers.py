"""The database advances the content version: a trigger on every content table, on PostgreSQL
and on SQLite, so that no code path can change what readers see and leave the version behind,
whether it saves a model, calls `QuerySet.update()` or `bulk_create()`, or deletes in bulk.

`install()` runs after every migrate and flush (a post_migrate handler). It loops over every
model of `articles` and of the rooms nested in it, so a content model added later is covered
without anyone remembering; the few tables no reader page shows are named below. It is
idempotent: each trigger is dropped and made again, and triggers on tables no longer wanted
are dropped, in one transaction.

PostgreSQL: one statement trigger per table. Its first call in a transaction advances one
version row, taken with SKIP LOCKED so that concurrent transactions take different rows and
never wait on each other; the row stays locked until the commit, which makes the new version
visible in the same instant as the change. (A trigger deferred to the commit would hold the
lock for less time, but leaves pending events that make a migration writing rows and then
altering their table fail.) SQLite has no statement triggers: one trigger per table and
operation, per row, advancing the first row; SQLite has one writer at a time anyway.
"""

from django.apps import apps
from django.db import connections, transaction

from .models import ContentVersion

# Tables that never change a public page: the desk's working state and the revision history.
NOT_SHOWN_TO_READERS = {
    "articles.revision",
    "desk.autosavedraft",
    "desk.notification",
    "desk.sharelink",
}

VERSION_TABLE = ContentVersion._meta.db_table
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
PG_FUNCTION = "pagecache_advance_content_version"
PG_TRIGGER = "pagecache_content_version"
SQLITE_PREFIX = "pagecache_"

# A row moves to the current time in microseconds, or one past its value if that is later.
PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_id bigint;
BEGIN
    IF coalesce(current_setting('pagecache.advanced', true), '') = 'on' THEN
        RETURN NULL;  -- advanced already in this transaction (undone with it, if rolled back)
    END IF;
    SELECT id INTO row_id FROM {VERSION_TABLE} ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
    UPDATE {VERSION_TABLE}
    SET version = greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    WHERE id = coalesce(row_id, 1);  -- every row taken: wait for the first
    PERFORM set_config('pagecache.advanced', 'on', true);
    RETURN NULL;
END
$$
"""
SQLITE_ADVANCE = f"""
UPDATE {VERSION_TABLE}
SET version = max(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
WHERE id = 1;
"""


def content_tables(connection):
    """The tables of every model of the content apps that readers may see, as they exist."""
    existing = set(connection.introspection.table_names())
    tables = set()
    for config in apps.get_app_configs():
        if config.label == "pagecache" or not (
            config.name == "articles" or config.name.startswith("articles.")
        ):
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if (
                meta.managed
                and not meta.proxy
                and meta.label_lower not in NOT_SHOWN_TO_READERS
                and meta.db_table in existing
            ):
                tables.add(meta.db_table)
    return sorted(tables)


def install(using="default"):
    """Make sure the version rows exist and every content table, and no other, has its
    trigger."""
    connection = connections[using]
    if VERSION_TABLE not in connection.introspection.table_names():
        return  # migrated back before the page cache
    with transaction.atomic(using=using):
        rows = ContentVersion.objects.using(using)
        now = current_microseconds(connection)
        missing = set(range(1, ContentVersion.ROWS + 1)) - set(rows.values_list("pk", flat=True))
        rows.bulk_create([ContentVersion(pk=pk, version=now) for pk in sorted(missing)])
        wanted = content_tables(connection)
        if connection.vendor == "postgresql":
            _install_postgresql(connection, wanted)
        elif connection.vendor == "sqlite":
            _install_sqlite(connection, wanted)


def uninstall(using="default"):
    """Drop every page cache trigger (before the version table goes)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            _install_postgresql(connection, [])
            with connection.cursor() as cursor:
                cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
        elif connection.vendor == "sqlite":
            _install_sqlite(connection, [])


def installed(connection):
    """{table: number of page cache triggers on it}."""
    counts = {}
    for table, _ in _existing_triggers(connection):
        counts[table] = counts.get(table, 0) + 1
    return counts


def current_microseconds(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
        else:
            cursor.execute("SELECT CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)")
        return cursor.fetchone()[0]


def _existing_triggers(connection):
    """(table, trigger name) of every page cache trigger in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s AND pg_table_is_visible(c.oid)",
                [PG_TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
                [SQLITE_PREFIX.replace("_", "\\_") + "%"],
            )
        return cursor.fetchall()


def _install_postgresql(connection, tables):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if tables:
            cursor.execute(PG_FUNCTION_SQL)
        for table, _ in _existing_triggers(connection):
            if table not in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {quote(table)}")
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {PG_TRIGGER} "
                f"AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )


def _install_sqlite(connection, tables):
    quote = connection.ops.quote_name
    wanted = {
        _sqlite_name(table, operation): (table, operation)
        for table in tables
        for operation in OPERATIONS
    }
    with connection.cursor() as cursor:
        for _, name in _existing_triggers(connection):
            if name not in wanted:
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
        for name, (table, operation) in wanted.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
            cursor.execute(
                f"CREATE TRIGGER {quote(name)} AFTER {operation} ON {quote(table)} "
                f"BEGIN {SQLITE_ADVANCE} END"
            )


def _sqlite_name(table, operation):
    return f"{SQLITE_PREFIX}{table}_{operation.lower()}"
