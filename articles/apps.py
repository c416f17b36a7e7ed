from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .search import plain_text

        # Used by the full-text index triggers (see migration 0003_search).
        connection.connection.create_function(
            "newsroom_plain_text", 1, plain_text, deterministic=True
        )


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(_register_sqlite_functions, dispatch_uid="newsroom-sqlite-fns")
