from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_triggers(sender, using, **kwargs):
    from .triggers import install

    install(using)


class PageCacheConfig(AppConfig):
    name = "articles.cache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # After every migrate (and every flush): by then each content table exists as the
        # migrations left it, and SQLite has dropped the triggers of any table it rebuilt.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="newsroom-pagecache")
