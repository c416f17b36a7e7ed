"""Images placed in article bodies.

The body stores a marker, `<figure data-image="12"></figure>`, never an image address: the
sanitiser allows no `<img>` in a body (outside images would be tracking pixels in feeds).
Pages, previews and feeds turn each marker into the image as the row says now (its file, alt
text, caption and credit); a marker whose row does not exist renders nothing. Which images an
article's body places is also kept as rows (BodyImageUse), for eager loading and so that an
image in use cannot be deleted.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..images.fields import UploadedImageField
from ..sanitize import clean_text

# As the sanitiser writes it: a figure's only allowed attribute, its value only digits.
MARKER = re.compile(r'<figure data-image="(\d+)">.*?</figure>', re.DOTALL)
LARGEST_ID = 2**63 - 1  # a forged id past what a database column holds names no image


def body_image_ids(html):
    """The ids of the body images that `html` (a sanitised body) places, in order, once each."""
    ids = (int(pk) for pk in MARKER.findall(html or ""))
    return list(dict.fromkeys(pk for pk in ids if pk <= LARGEST_ID))


class BodyImage(models.Model):
    file = UploadedImageField(
        "image",
        upload_to="body/%Y/%m/",
        width_field="width",
        height_field="height",
        renditions_field="rendered",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The file whose renditions exist (set by the renditions task); see images/fields.py.
    rendered = models.CharField(max_length=100, blank=True, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text="Describe the image for readers who cannot see it.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    articles = models.ManyToManyField(
        "Article", through="BodyImageUse", related_name="body_images", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt=""), name="body_image_has_alt_text"),
        ]

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        self.alt = clean_text(self.alt)
        self.caption = clean_text(self.caption)
        self.credit = clean_text(self.credit)
        super().save(*args, **kwargs)

    @property
    def marker(self):
        """What the body stores to place this image."""
        return f'<figure data-image="{self.pk}"></figure>'


class BodyImageUse(models.Model):
    """An article whose body places an image; kept in step by Article.save()."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    # An image an article shows cannot be deleted; take it out of the article first.
    image = models.ForeignKey(BodyImage, on_delete=models.PROTECT, related_name="uses")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_image_used_once"),
        ]

    def __str__(self):
        return f"Used in “{self.article}”"
