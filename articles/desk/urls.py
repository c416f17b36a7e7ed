"""The desk's own pages beside the admin (all under /desk/, staff only unless noted)."""

from django.urls import path

from . import autosave, lookup
from .preview import UnsavedPreviewView

app_name = "desk"

urlpatterns = [
    # POSTed by the article change form's "Preview changes" button, into a new tab.
    path("articles/<int:pk>/preview/", UnsavedPreviewView.as_view(), name="preview_unsaved"),
    # Called by the article change form's script (static/desk/autosave.js).
    path("articles/<int:pk>/autosave/", autosave.save_draft, name="autosave"),
    path("articles/<int:pk>/autosave/discard/", autosave.discard_draft, name="autosave-discard"),
    path("articles/<int:pk>/presence/", autosave.heartbeat, name="presence"),
    # Called by the body editor's SEE ALSO chooser and link dialog (static/desk/dialogs.js).
    path("articles/search/", lookup.article_search, name="article-search"),
]
