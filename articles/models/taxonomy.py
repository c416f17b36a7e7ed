"""How articles are filed: sections, tags and the people who write them."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Lower
from django.urls import reverse

from ..images.fields import UploadedImageField
from ..sanitize import clean_text
from .slugs import unique_slug


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (lowest first)."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("site:section", kwargs={"slug": self.slug})


class WithPublicArticlesQuerySet(models.QuerySet):
    """Tags and authors readers may see: those of at least one public article."""

    def with_public_articles(self):
        from .article import Article

        relation = "tags" if self.model is Tag else "authors"
        public = Article.objects.public().filter(**{relation: OuterRef("pk")})
        return self.filter(Exists(public))


class TagQuerySet(WithPublicArticlesQuerySet):
    def named(self, name):
        """The tag with this name, ignoring case, made if there is none yet."""
        name = clean_text(name)[: Tag._meta.get_field("name").max_length]
        same_name = self.annotate(lower_name=Lower("name")).filter(lower_name=Lower(Value(name)))
        if tag := same_name.first():
            return tag
        try:
            with transaction.atomic():
                return self.create(name=name)
        except IntegrityError:  # made meanwhile by someone else
            return same_name.get()


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, exclude_pk=self.pk, allow_unicode=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("site:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True)
    photo = UploadedImageField(
        upload_to="authors/%Y/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        renditions_field="photo_rendered",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_rendered = models.CharField(max_length=100, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    objects = WithPublicArticlesQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("site:author", kwargs={"slug": self.slug})

    @property
    def photo_url(self):
        return self.photo.url if self.photo else ""
