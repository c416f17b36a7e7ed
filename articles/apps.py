from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .search import plain_text

        # Used by the full-text index triggers (see migration 0003_search).
        connection.connection.create_function(
            "newsroom_plain_text", 1, plain_text, deterministic=True
        )


def _ensure_search_index(sender, using, **kwargs):
    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and "articles_article" in connection.introspection.table_names()
    ):
        from .search_index import ensure_sqlite_index

        ensure_sqlite_index(connection)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(_register_sqlite_functions, dispatch_uid="newsroom-sqlite-fns")
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="newsroom-search")
