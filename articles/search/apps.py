from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from articles.sanitize import html_to_text

        # Used by the full-text index triggers (see articles.search.index).
        connection.connection.create_function(
            "newsroom_plain_text", 1, html_to_text, deterministic=True
        )


def _ensure_search_index(sender, using, **kwargs):
    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and "articles_article" in connection.introspection.table_names()
    ):
        from .index import ensure_sqlite_index

        ensure_sqlite_index(connection)


class SearchConfig(AppConfig):
    name = "articles.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        connection_created.connect(_register_sqlite_functions, dispatch_uid="newsroom-sqlite-fns")
        # After the articles app's migrations: SQLite drops triggers when it rebuilds a table.
        post_migrate.connect(_ensure_search_index, dispatch_uid="newsroom-search")
