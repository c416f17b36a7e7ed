"""The body editor's side on the server: what its own extensions may write, and what the
article form tells the editor.

The editor (django-prose-editor, on Tiptap) loads our extensions as ES modules from
static/desk/ (DJANGO_PROSE_EDITOR_EXTENSIONS in the settings names them with these
processors). Settings import this module, so it imports no models.

The SEE ALSO marker (articles/body.py reads it), as stored: ``<div data-see-also="123"></div>``
for our article 123, or ``<div data-see-also="https://example.org/page"></div>`` for an outside
page; a top-level block with no content. In the form, the editor also gets ``data-title`` (our
article's headline, or the outside page's title, which the editor requires) and, for one of
ours that readers cannot see yet, ``data-state`` (why: "draft", "in review", "scheduled",
"taken down", "in the trash"); it posts them back, and the server reads back only the title
of an outside link.
"""

from django.urls import reverse
from js_asset import ImportMap, Media

from articles.body import MARKER_ATTRIBUTE, MARKER_STATE, MARKER_TITLE

SEE_ALSO_ATTRIBUTES = {MARKER_ATTRIBUTE, MARKER_TITLE, MARKER_STATE}

# The desk's shared module for its dialogs, imported by the extensions as a bare name.
media = Media(importmap=ImportMap({"newsroom-desk/dialogs": "desk/dialogs.js"}))


def see_also_allowlist(config, shared_config):
    """django-prose-editor's allow-list processor for the SEE ALSO node."""
    shared_config["tags"].add("div")
    shared_config["attributes"].setdefault("div", set()).update(SEE_ALSO_ATTRIBUTES)


def no_markup(config, shared_config):
    """Processor for extensions that write no HTML of their own (paste clean-up, word count,
    spellcheck)."""


def form_config(article, pending_draft=None):
    """What the article form tells its body editor: where to search for articles, and which
    ones never to offer (the article itself, the live story it changes, its draft of changes)."""
    exclude = []
    if article is not None:
        exclude = [article.pk, article.draft_of_id, pending_draft and pending_draft.pk]
    return {
        "searchUrl": reverse("desk:article-search"),
        "exclude": [pk for pk in exclude if pk],
    }
