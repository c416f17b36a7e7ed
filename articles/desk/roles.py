"""The newsroom's two roles, Writer and Editor, defined here and ensured after every migrate.

Groups and their permissions are code, not data: after every `migrate` (and after a test
database is flushed) each group holds exactly the permissions below, so a model added later
gets its permissions in the same place, and nobody can widen a role by hand by mistake.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

ROLES = {
    # Writers draft and revise, and submit for review. The desk refuses them published work.
    "Writer": {
        "articles.article": (VIEW, ADD, CHANGE, DELETE),
        "articles.byline": ALL,
        "articles.relatedlink": ALL,
        "articles.tag": (VIEW, ADD),
        "articles.section": (VIEW,),
        "articles.author": (VIEW,),
        "articles.revision": (VIEW,),
        "articles.bodyimage": (VIEW, ADD),
        "desk.notification": (VIEW,),
    },
    # Editors do everything on content, including publishing, share links and the trash.
    "Editor": {
        "articles.article": (*ALL, "publish"),
        "articles.byline": ALL,
        "articles.relatedlink": ALL,
        "articles.tag": ALL,
        "articles.section": ALL,
        "articles.author": ALL,
        "articles.revision": (VIEW,),
        "articles.slugredirect": ALL,
        "articles.bodyimage": ALL,
        "desk.sharelink": ALL,
        "desk.notification": (VIEW,),
        "admin.logentry": (VIEW,),
    },
}


def role_permissions(role):
    """The permissions of a role, as a queryset."""
    wanted = Q(pk__in=[])
    for label, actions in ROLES[role].items():
        app_label, model = label.split(".")
        codenames = [f"{action}_{model}" for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(wanted)


def ensure_roles(using="default", **kwargs):
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(role_permissions(role).using(using))
