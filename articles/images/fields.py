"""The one image field every upload goes through: hero images, author photos, body images.

The form field checks and re-encodes an upload (uploads.clean_image), so that a refusal is a
form error in plain words. The model field stores only re-encoded files, whatever path assigned
them (the desk's forms, an import, the shell), under a random name: a draft's image cannot be
found by guessing its address. It also knows whether an image's renditions have been made.
"""

import posixpath
import re
import secrets

from django import forms
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from .uploads import ACCEPT, CleanImage, clean_image

# What generate_filename() makes: 128 random bits, then the format's extension.
GENERATED_NAME = re.compile(r"(^|/)[0-9a-f]{32}\.(jpg|png|webp)$")


class UploadedImageFormField(forms.FileField):
    def to_python(self, data):
        upload = super().to_python(data)
        return None if upload is None else clean_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs


class UploadedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Assigned outside a form (an import, the demo, the shell): cleaned here, so that no
        # path stores a file as it was uploaded. The name's extension follows the format.
        if not isinstance(content, CleanImage):
            content = clean_image(content)
        super().save(content.name, content, save)


class UploadedImageField(models.ImageField):
    """An ImageField whose files are re-encoded uploads with generated names.

    `renditions_field` names a field of the same model that holds the name of the image whose
    renditions have been made (by the renditions task); pages link renditions only while it
    matches the current image, and the re-encoded original until then.
    """

    attr_class = UploadedImageFieldFile

    def __init__(self, *args, renditions_field=None, **kwargs):
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.renditions_field:
            kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadedImageFormField, **kwargs})

    def generate_filename(self, instance, filename):
        extension = posixpath.splitext(filename)[1].lower()
        return super().generate_filename(instance, f"{secrets.token_hex(16)}{extension}")


def renditions_ready(image):
    """Whether the renditions of `image` (a stored field file) exist, so pages may link them."""
    field = getattr(image, "field", None)
    renditions_field = getattr(field, "renditions_field", None)
    if not (image and renditions_field):
        return False
    return getattr(image.instance, renditions_field, None) == image.name
