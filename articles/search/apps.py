from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using, **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite" or "articles_article" not in (
        connection.introspection.table_names()
    ):
        return
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "articles_article")
    # Before migration 0007 (say, after migrating back) there is no body_text to index.
    if any(column.name == "body_text" for column in columns):
        from .index import ensure_sqlite_index

        ensure_sqlite_index(connection)


class SearchConfig(AppConfig):
    name = "articles.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        # Once per migrate or flush (as this app's signal comes, after the articles app's):
        # SQLite drops triggers when it rebuilds a table.
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="newsroom-search")
