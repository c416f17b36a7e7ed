"""The editors' desk, in Django's admin: articles with their workflow, revisions, taxonomy."""

from django.conf import settings
from django.contrib import admin

from . import articles, desk, revisions, share, taxonomy  # noqa: F401 (registers the models)

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = f"{settings.SITE_NAME} desk"
admin.site.index_title = "Editorial desk"
