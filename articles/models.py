from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField

from .body import split_blocks
from .sanitize import clean_html, clean_text, headline_key

HTTP_URL = URLValidator(schemes=["http", "https"])

BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Code": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


def unique_slug(model, text, *, exclude_pk=None, max_length=200, allow_unicode=False):
    """A slug from `text` that no other row of `model` uses (nor, for articles, keeps as an
    old address)."""
    base = (slugify(text, allow_unicode=allow_unicode) or "untitled")[: max_length - 10]
    base = base.strip("-") or "untitled"
    slug, counter = base, 2
    others = model._default_manager.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists() or (
        model is Article
        and SlugRedirect.objects.exclude(article_id=exclude_pk).filter(old_slug=slug).exists()
    ):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


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
        return reverse("articles:section", kwargs={"slug": self.slug})


class InUseQuerySet(models.QuerySet):
    """Tags and authors readers may see: those of at least one public article."""

    def in_use(self):
        relation = "tags" if self.model is Tag else "authors"
        public = Article.objects.public().filter(**{relation: OuterRef("pk")})
        return self.filter(Exists(public))


class TagQuerySet(InUseQuerySet):
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
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ImageField(
        upload_to="authors/%Y/", blank=True, width_field="photo_width", height_field="photo_height"
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    objects = InUseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def photo_url(self):
        return self.photo.url if self.photo else ""


def public_condition(prefix=""):
    """The public rule as a condition: published, and its publication time has come.

    `prefix` applies it across a relation, e.g. "target_article__" for SEE ALSO targets.
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What a reader may see. Every page, feed, sitemap and search starts here."""
        return self.filter(public_condition())

    def scheduled(self):
        """Published, with a publication time still to come: not public yet."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_byline(self):
        """Eager loading for lists, feeds and link blocks: no query per article."""
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "tags",
        )

    def with_everything(self):
        """Eager loading for the article page: byline, tags and visible SEE ALSO links."""
        return self.with_byline().prefetch_related(
            Prefetch(
                "related_links",
                queryset=RelatedLink.objects.visible().select_related("target_article"),
                to_attr="visible_links",
            )
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def latest_in_sections(self, sections, count):
        """The newest `count` articles of each section: one small indexed query per section
        for the ids, then one query for the articles, whatever their number."""
        ids = []
        for section in sections:
            ids += self.filter(section=section).newest_first().values_list("pk", flat=True)[:count]
        return self.filter(pk__in=ids)

    def by_headline(self, headline):
        return self.filter(headline_key=headline_key(headline))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address. Changing it later keeps the old address working.",
    )
    dek = models.TextField(
        "dek / summary", blank=True, max_length=600, help_text="One or two sentences."
    )
    body = ProseEditorField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=clean_html, blank=True)

    hero_image = models.ImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it.",
    )
    hero_caption = models.CharField("caption", max_length=300, blank=True)
    hero_credit = models.CharField("credit", max_length=150, blank=True)

    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")

    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="A time in the future schedules the article; it goes live by itself.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    featured = models.BooleanField(default=False, help_text="Lead story on the front page.")

    seo_title = models.CharField("SEO title", max_length=70, blank=True)
    seo_description = models.CharField("SEO description", max_length=160, blank=True)

    # Normalised headline, so that "SEE ALSO: <headline>" finds its story.
    headline_key = models.CharField(max_length=250, db_index=True, editable=False)
    # Bumped on every save; the admin uses it to refuse an edit based on a stale copy.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # Few rows, but the same columns as the public rule, so SQLite picks it too.
            models.Index(
                fields=["status", "-published_at"],
                condition=Q(featured=True),
                name="article_lead_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_publish_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(condition=~Q(headline=""), name="article_has_headline"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.headline = clean_text(self.headline)
        self.dek = clean_text(self.dek)
        self.body = clean_html(self.body)
        self.headline_key = headline_key(self.headline)
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED:
            self.published_at = self.published_at or timezone.now()
            # The first time it is (or is scheduled to be) live; an earlier go-live moves it.
            if not self.first_published_at or self.first_published_at > timezone.now():
                self.first_published_at = self.published_at
        if self.pk:
            self.version = F("version") + 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._remember_old_slug()
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    # The slug as last loaded or saved, to notice a change of address.
    _saved_slug = None

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_slug = instance.__dict__.get("slug")
        return instance

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def was_updated(self):
        """Worth a visible "Updated" line: edited more than a few minutes after going live."""
        return bool(
            self.published_at and (self.updated_at - self.published_at).total_seconds() > 600
        )

    @property
    def hero_url(self):
        return self.hero_image.url if self.hero_image else ""

    @property
    def byline(self):
        return [line.author for line in self.bylines.all()]

    def clean(self):
        errors = {}
        self.headline = clean_text(self.headline)
        self.dek = clean_text(self.dek)
        if not self.headline:
            errors["headline"] = "Write a headline (it was only spaces or control characters)."
        taken = SlugRedirect.objects.filter(old_slug=self.slug).exclude(article_id=self.pk)
        if self.slug and (moved := taken.select_related("article").first()):
            errors["slug"] = (
                f"This address still leads readers to “{moved.article.headline}”, which used "
                "to have it. Choose another slug."
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = "Add alt text describing the hero image."
        if errors:
            raise ValidationError(errors)

    def _remember_old_slug(self):
        old_slug = self._saved_slug
        self._saved_slug = self.slug
        # Taking back one of its own old addresses; another article's stay reserved.
        SlugRedirect.objects.filter(old_slug=self.slug, article=self).delete()
        if old_slug and old_slug != self.slug and self.first_published_at:
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})

    def publish(self, when=None):
        self.status = self.Status.PUBLISHED
        self.published_at = when or self.published_at or timezone.now()
        self.save()

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.save()

    def body_blocks_with_links(self):
        """The body's blocks, each with the SEE ALSO links placed after it.

        Returns (leading_links, blocks, end_links): links placed before the first paragraph,
        (html, links) pairs, and the links for the closing block (no place, or a place past
        the end of the body). Expects `visible_links`, as loaded by `with_everything()`.
        """
        blocks = split_blocks(self.body)
        inline = {}
        end_links = []
        for link in self.visible_links:
            if link.after_paragraph is not None and link.after_paragraph <= len(blocks):
                inline.setdefault(link.after_paragraph, []).append(link)
            else:
                end_links.append(link)
        leading = inline.get(0, [])
        pairs = [(html, inline.get(number, [])) for number, html in enumerate(blocks, start=1)]
        return leading, pairs, end_links


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]

    def __str__(self):
        return self.author.name


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self):
        """Outside links, and links to articles the public may see."""
        return self.filter(Q(target_article__isnull=True) | public_condition("target_article__"))


class RelatedLink(models.Model):
    """A "SEE ALSO" link: to one of our articles, or to an outside URL with its own title."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(default=0)
    target_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text="One of our articles. Its current headline is always shown.",
    )
    url = models.URLField(
        "outside URL", max_length=500, blank=True, validators=[HTTP_URL], help_text="http(s) only."
    )
    title = models.CharField(max_length=250, blank=True, help_text="Required for an outside URL.")
    after_paragraph = models.PositiveSmallIntegerField(
        "after paragraph",
        null=True,
        blank=True,
        validators=[MaxValueValidator(999)],
        help_text="Show inline after this paragraph of the body; leave empty for the end.",
    )

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(target_article__isnull=False) & Q(url=""))
                    | (Q(target_article__isnull=True) & ~Q(url=""))
                ),
                name="related_link_exactly_one_target",
                violation_error_message=(
                    "Choose one of our articles or enter an outside URL: exactly one of the two."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(target_article=F("article")),
                name="related_link_not_to_itself",
                violation_error_message="An article cannot link to itself.",
            ),
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__istartswith="http://")
                | Q(url__istartswith="https://"),
                name="related_link_url_is_http",
                violation_error_message="An outside URL must start with http:// or https://.",
            ),
            models.CheckConstraint(
                condition=Q(url="") | ~Q(title=""),
                name="related_link_outside_url_has_title",
                violation_error_message="Give the outside link a title.",
            ),
            models.UniqueConstraint(
                fields=["article", "target_article"],
                condition=Q(target_article__isnull=False),
                name="related_link_target_once",
                violation_error_message="This article already links to that article.",
            ),
        ]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.title = clean_text(self.title)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the constraints are checked, so a title of stray characters is an error.
        self.title = clean_text(self.title)

    @property
    def is_external(self):
        return self.target_article_id is None

    @property
    def display_title(self):
        if self.target_article_id:
            return self.target_article.headline
        return self.title

    @property
    def href(self):
        if self.target_article_id:
            return self.target_article.get_absolute_url()
        return self.url


class SlugRedirect(models.Model):
    """An address an article used to have; it answers with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class Revision(models.Model):
    """A snapshot of an article as an editor saved it: no edit is ever lost."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.article} (version {self.version})"

    @classmethod
    def capture(cls, article, user=None):
        links = [
            {
                "position": link.position,
                "target_article": link.target_article_id,
                "url": link.url,
                "title": link.title,
                "after_paragraph": link.after_paragraph,
            }
            for link in article.related_links.order_by("position", "pk")
        ]
        data = {
            "headline": article.headline,
            "slug": article.slug,
            "dek": article.dek,
            "body": article.body,
            "status": article.status,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "section": article.section_id,
            "authors": list(article.bylines.values_list("author_id", flat=True)),
            "tags": sorted(article.tags.values_list("name", flat=True)),
            "hero_image": article.hero_image.name,
            "hero_alt": article.hero_alt,
            "hero_caption": article.hero_caption,
            "hero_credit": article.hero_credit,
            "featured": article.featured,
            "seo_title": article.seo_title,
            "seo_description": article.seo_description,
            "related_links": links,
        }
        return cls.objects.create(article=article, version=article.version, user=user, data=data)
