from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, using, plan=None, **kwargs):
    # After `migrate` only (it passes its plan); a flush between tests sends the signal too,
    # and tests that keep the migrations' rows bring the groups back themselves.
    if plan is None:
        return
    from .roles import ensure_roles

    ensure_roles(using=using)


class DeskConfig(AppConfig):
    name = "articles.desk"
    label = "desk"
    verbose_name = "Editorial desk"

    def ready(self):
        # After the desk's own permissions exist; the content apps come before it.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="newsroom-roles")
