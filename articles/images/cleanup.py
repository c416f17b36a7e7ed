"""Replaced and deleted images leave nothing behind at their public addresses.

A receiver, not an explicit call: an image can be replaced or its owner deleted from the
desk, the shell, an import or a cascade, and no path may leave the old files public.
The files go once the transaction commits, so a rolled-back save keeps them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from articles.models import Article, Author, BodyImage

from .renditions import delete_image

# Every uploaded image, as (model, image field); each field records its width and height.
IMAGE_FIELDS = [(Article, "hero_image"), (Author, "photo"), (BodyImage, "file")]


def dimension_fields(model, field):
    image_field = model._meta.get_field(field)
    return image_field.width_field, image_field.height_field


def _stored(instance, field, width_field):
    """The image name and width the row holds in the database now, before this save."""
    if instance.pk is None:
        return None
    manager = type(instance)._default_manager
    return manager.filter(pk=instance.pk).values_list(field, width_field).first()


def _forget_after_commit(name, width, model, field):
    def forget():
        # Another row may share the file (a copy made in the shell); then it stays.
        if not model._default_manager.filter(**{field: name}).exists():
            delete_image(name, width)

    transaction.on_commit(forget, robust=True)


def connect():
    for model, field in IMAGE_FIELDS:
        width_field, _ = dimension_fields(model, field)

        def remember(
            sender, instance, raw, update_fields, field=field, width_field=width_field, **kwargs
        ):
            if raw or (update_fields is not None and field not in update_fields):
                instance._stored_image = None  # loaddata, or a save that leaves the image be
            else:
                instance._stored_image = _stored(instance, field, width_field)

        def after_save(sender, instance, field=field, **kwargs):
            before = getattr(instance, "_stored_image", None)
            if before and before[0] and before[0] != getattr(instance, field).name:
                _forget_after_commit(*before, sender, field)

        def after_delete(sender, instance, field=field, width_field=width_field, **kwargs):
            name = getattr(instance, field).name
            if name:
                _forget_after_commit(name, getattr(instance, width_field), sender, field)

        uid = f"images-{model._meta.label_lower}"
        pre_save.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}-remember")
        post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"{uid}-saved")
        post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"{uid}-gone")
