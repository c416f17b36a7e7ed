"""An article's history: its revisions read, compared and restored.

A revision's `data` is the snapshot `Revision.capture()` takes. Reading and comparing are pure
functions of snapshots (`describe()`, `compare()`), so one diff serves the revision pages and
the article form's "what they changed" (`changes_since()`, rendered by the include
`admin/articles/revision/diff.html`). The body is compared as text, paragraph by paragraph:
the HTML an editor wrote is never shown, only its text, escaped.

A restore (`restore()`) brings back what the article says and how it is filed: headline, dek,
body, the hero image's text, section, authors, tags, SEE ALSO links and SEO. It leaves alone
whether and when the article is published (status, publish and take-down times), its address
(slug) and its place on the front page (featured): restoring an earlier draft onto a live
article puts that version's text live. The hero image itself stays too, since a replaced image
is no longer stored; its alt text, caption and credit come back only with the same image.
Nothing is lost: the restore is saved as a new version, and the one before it stays a revision.
"""

from .diff import FieldChange, ParagraphChange, changes_since, compare
from .restoring import RESTORED, restore
from .snapshots import FIELDS, describe, fill_in_names, read

__all__ = [
    "FIELDS",
    "RESTORED",
    "FieldChange",
    "ParagraphChange",
    "changes_since",
    "compare",
    "describe",
    "fill_in_names",
    "read",
    "restore",
]
