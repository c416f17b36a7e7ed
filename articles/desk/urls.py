"""The desk's own pages beside the admin (all under /desk/, staff only unless noted)."""

from django.urls import path  # noqa: F401 (each feature adds its routes here)

app_name = "desk"

urlpatterns = []
