"""The newsroom's two roles. Later changes to them belong in a new migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

ROLES = {
    # Writers draft and revise, and submit for review. The admin refuses them published work.
    "Writer": {
        "article": (VIEW, ADD, CHANGE, DELETE),
        "byline": ALL,
        "relatedlink": ALL,
        "tag": (VIEW, ADD),
        "section": (VIEW,),
        "author": (VIEW,),
        "revision": (VIEW,),
    },
    # Editors do everything on content, including publishing.
    "Editor": {
        "article": ALL,
        "byline": ALL,
        "relatedlink": ALL,
        "tag": ALL,
        "section": ALL,
        "author": ALL,
        "revision": (VIEW,),
        "slugredirect": ALL,
    },
}


EXTRA = {"Editor": ["publish_article"]}


def codenames(model, actions):
    return [f"{action}_{model}" for action in actions]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for model, actions in models.items():
            wanted += codenames(model, actions)
        wanted += EXTRA.get(role, [])
        perms = Permission.objects.filter(content_type__app_label="articles", codename__in=wanted)
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
