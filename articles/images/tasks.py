"""Renditions are made by a task, after the editor's save, not inside it.

`request_renditions(image)` is the explicit call that follows storing an image (the desk's
forms, the body image upload); once the transaction commits it enqueues `make_renditions` on
Django's tasks framework (TASKS: the database backend and its `db_worker` process in
production, see the README). The task writes the renditions, then records on the row that they
exist; until then pages link the re-encoded original. A row whose image was replaced or deleted
meanwhile is left alone, and renditions written for an image no row holds any more are removed.
"""

import logging
from functools import partial

from django.apps import apps
from django.db import transaction
from django.tasks import task

from .renditions import delete_renditions, generate_renditions

logger = logging.getLogger(__name__)


def request_renditions(image):
    """Have the renditions of `image` (a field file just saved) made once the save commits."""
    if not image:
        return
    row = image.instance
    where = (row._meta.label_lower, row.pk, image.field.name, image.name)
    transaction.on_commit(partial(make_renditions.enqueue, *where), robust=True)


@task
def make_renditions(model_label, pk, field_name, name):
    """Make the renditions of the image `name` held in `field_name` of row `pk`; the number of
    files written."""
    model = apps.get_model(model_label)
    row = model._default_manager.filter(pk=pk, **{field_name: name}).first()
    if row is None:
        return 0  # replaced or deleted since it was requested
    return render_and_record(row, field_name)


def render_and_record(row, field_name, *, force=False):
    """Write the missing renditions of `row`'s image and record on the row that they exist.

    An unreadable original raises ValueError (as generate_renditions does).
    """
    image = getattr(row, field_name)
    written = generate_renditions(image, force=force)
    field = image.field
    if not field.renditions_field or getattr(row, field.renditions_field) == image.name:
        return len(written)
    same_image = type(row)._default_manager.filter(pk=row.pk, **{field_name: image.name})
    if same_image.update(**{field.renditions_field: image.name}):
        setattr(row, field.renditions_field, image.name)
    elif not type(row)._default_manager.filter(**{field_name: image.name}).exists():
        # Replaced while the renditions were being made: the clean-up has run already.
        delete_renditions(image.name, image.width)
        logger.info("Renditions of %s removed: the image was replaced meanwhile", image.name)
    return len(written)
