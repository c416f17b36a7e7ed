from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, using, **kwargs):
    # After every `migrate`, and after a `flush` (a transactional test's too), which makes the
    # content types and permissions again and sends the signal: the roles come back with them.
    from .roles import ensure_roles

    ensure_roles(using=using)


class DeskConfig(AppConfig):
    name = "articles.desk"
    label = "desk"
    verbose_name = "Editorial desk"

    def ready(self):
        # After the desk's own permissions exist; the content apps come before it.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="newsroom-roles")
