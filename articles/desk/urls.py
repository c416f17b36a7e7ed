"""The desk's own pages beside the admin (all under /desk/, staff only unless noted)."""

from django.urls import path

from .preview import UnsavedPreviewView

app_name = "desk"

urlpatterns = [
    # POSTed by the article change form's "Preview changes" button, into a new tab.
    path("articles/<int:pk>/preview/", UnsavedPreviewView.as_view(), name="preview_unsaved"),
]
