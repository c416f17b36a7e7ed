"""The article: what editors write, and the one rule of what readers may see."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_prose_editor.fields import ProseEditorField

from .. import body
from ..images.fields import UploadedImageField
from ..images.inline import render_markers
from ..sanitize import clean_html, clean_text, headline_key, html_to_text
from .images import BodyImage, body_image_ids
from .slugs import unique_slug
from .taxonomy import Author, Section, Tag

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
    # The desk's own extensions (static/desk/, registered in DJANGO_PROSE_EDITOR_EXTENSIONS):
    # the link dialog that also finds our articles, SEE ALSO boxes, paste clean-up, a word
    # count, and the browser's spellcheck (django-prose-editor turns it off by default).
    "DeskLink": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "SeeAlso": True,
    "PasteCleanup": True,
    "WordCount": True,
    "Spellcheck": True,
    "NoSpellCheck": False,
    # Our uploads, placed by marker (static/desk/body_image.js, articles/models/images.py).
    "BodyImage": {
        "uploadUrl": reverse_lazy("images:upload_body_image"),
        "chooserUrl": reverse_lazy("images:body_images"),
    },
}


# Links and redirects point at articles, so their module imports this one; these reach back.
def related_links():
    return apps.get_model("articles", "RelatedLink").objects


def old_addresses():
    return apps.get_model("articles", "SlugRedirect").objects


def union_of(querysets):
    """The rows of several (sliced) querysets of one column, as SQL for `pk__in`: `UNION ALL` of
    each wrapped as a subquery, which both SQLite and PostgreSQL take with its own LIMIT
    (Django's `union()` refuses sliced parts on SQLite)."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part_{number}")  # noqa: S608 (the ORM's SQL)
        params += part_params
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 (the ORM's SQL, its parameters)


def public_condition(prefix=""):
    """The public rule as a condition: published, its publication time has come, its expiry
    time (if any) has not, and it is not in the trash.

    `prefix` applies it across a relation, e.g. "target_article__" for SEE ALSO targets.
    """
    now = timezone.now()
    return (
        Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": now})
        & (Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now}))
        & Q(**{f"{prefix}trashed_at__isnull": True})
    )


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What a reader may see. Every page, feed, sitemap and search starts here."""
        return self.filter(public_condition())

    def with_byline(self):
        """What a card shows besides the article's own columns, loaded with it: its section and
        byline (cards show no tags)."""
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_lists(self):
        """What a list of cards shows: the byline's eager loading, without the body (and its
        text), which lists never show and which is most of a row."""
        return self.with_byline().defer("body", "body_text")

    def with_everything(self):
        """Eager loading for the article page and feeds: byline, tags, visible SEE ALSO links
        and the images the body places."""
        return self.with_byline().prefetch_related(
            "tags",
            Prefetch(
                "related_links",
                queryset=related_links().visible().select_related("target_article"),
                to_attr="visible_links",
            ),
            "body_images",
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def front_page(self, sections, count):
        """The lead (the newest featured article) and the newest `count` of each section, in
        one query whatever their number: the ids come from one small indexed query each,
        joined by UNION ALL."""
        picks = [self.filter(featured=True).newest_first().values("pk")[:1]]
        picks += [
            self.filter(section=section).newest_first().values("pk")[:count] for section in sections
        ]
        return self.filter(pk__in=union_of(picks))

    def by_headline(self, headline):
        """Articles with this headline (as the importer matches them); a pending draft of
        changes shares its live article's headline and is left out."""
        return self.filter(headline_key=headline_key(headline), draft_of__isnull=True)


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

    hero_image = UploadedImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        renditions_field="hero_rendered",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The hero image whose renditions exist (set by the renditions task); see images/fields.py.
    hero_rendered = models.CharField(max_length=100, blank=True, editable=False)
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
    expires_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text="Optional: the article stops being public at this time, by itself.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # In the trash: hidden everywhere, restorable by an editor until it is purged.
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set on a pending draft of changes to a live article: readers keep seeing `draft_of`
    # until an editor publishes the changes onto it.
    draft_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_draft",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    featured = models.BooleanField(default=False, help_text="Lead story on the front page.")

    seo_title = models.CharField("SEO title", max_length=70, blank=True)
    seo_description = models.CharField("SEO description", max_length=160, blank=True)

    # The body as readers read it, for the search index and its snippets.
    body_text = models.TextField(blank=True, editable=False)
    # Normalised headline, so that "SEE ALSO: <headline>" finds its story.
    headline_key = models.CharField(max_length=250, db_index=True, editable=False)
    # Bumped on every save; the admin uses it to refuse an edit based on a stale copy.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            # The public rule's columns, in list order: lists and counts read only the index.
            models.Index(
                fields=["status", "-published_at", "-id", "trashed_at", "expires_at"],
                name="article_public_list_idx",
            ),
            models.Index(
                fields=["section", "status", "-published_at", "trashed_at", "expires_at"],
                name="article_section_list_idx",
            ),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # Take-down times, for the page cache's next change by the clock (few rows have one).
            models.Index(
                fields=["status", "expires_at", "trashed_at"],
                condition=Q(expires_at__isnull=False),
                name="article_take_down_idx",
            ),
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
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="article_expires_after_publication",
                violation_error_message="The take-down time must come after the publish time.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self._normalise_text()
        markers = self._take_see_also_markers()
        self._fill_publication_times()
        if self.pk:
            self.version = F("version") + 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._remember_old_slug()
            update_fields = kwargs.get("update_fields")
            if update_fields is None or "body" in update_fields:
                self._place_links(markers)
                self._note_body_images()
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self):
        return reverse("site:detail", kwargs={"slug": self.slug})

    # The slug and body as last loaded or saved, to notice a change of address, and SEE ALSO
    # boxes taken out of the text.
    _saved_slug = None
    _saved_body = ""

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_slug = instance.__dict__.get("slug")
        instance._saved_body = instance.__dict__.get("body") or ""
        return instance

    @property
    def is_public(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
            and self.trashed_at is None
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.trashed_at is None
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def has_expired(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

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
        taken = old_addresses().filter(old_slug=self.slug).exclude(article_id=self.pk)
        if self.slug and (moved := taken.select_related("article").first()):
            errors["slug"] = (
                f"This address still leads readers to “{moved.article.headline}”, which used "
                "to have it. Choose another slug."
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = "Add alt text describing the hero image."
        if problems := self._see_also_problems():
            errors["body"] = problems
        if errors:
            raise ValidationError(errors)

    def _normalise_text(self):
        self.headline = clean_text(self.headline)
        self.dek = clean_text(self.dek)
        self.body = clean_html(self.body)
        self.body_text = html_to_text(self.body)
        self.headline_key = headline_key(self.headline)
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)

    def _see_also_problems(self):
        """What is wrong with the SEE ALSO boxes in the body, in words an editor can act on."""
        markers = body.read_markers(self.body)
        if not markers:
            return []
        problems, seen = [], set()
        targets = Article.objects.in_bulk([m.article_id for m in markers if m.article_id])
        outside_titles = {}
        if self.pk and any(m.url for m in markers):
            outside_titles = dict(
                related_links()
                .filter(article_id=self.pk, target_article=None)
                .values_list("url", "title")
            )
        for marker in markers:
            target = targets.get(marker.article_id)
            name = f"“{target.headline}”" if target else marker.url or f"article #{marker.key}"
            if marker.key in seen:
                problems.append(f"The SEE ALSO box for {name} is in the text twice: remove one.")
            elif marker.article_id and marker.article_id in {self.pk, self.draft_of_id}:
                problems.append("A SEE ALSO box cannot point to this article itself.")
            elif marker.article_id and not target:
                problems.append(
                    f"A SEE ALSO box points to {name}, which no longer exists: remove it."
                )
            elif marker.url and not (marker.title or outside_titles.get(marker.url)):
                problems.append(f"Give the SEE ALSO link to {marker.url} a title.")
            seen.add(marker.key)
        return problems

    def _take_see_also_markers(self):
        """The body's SEE ALSO markers, as the editor sent them (outside links carry their
        titles); the body keeps only their places."""
        if "data-see-also" not in self.body:
            return []
        markers = body.read_markers(self.body)
        self.body = body.without_marker_labels(self.body)
        return markers

    def _place_links(self, markers):
        removed = body.placed_keys(self._saved_body) if self._saved_body else set()
        self._saved_body = self.body
        if markers or removed:
            related_links().keep_in_step(self, markers, removed)

    def _fill_publication_times(self):
        if self.status != self.Status.PUBLISHED:
            return
        self.published_at = self.published_at or timezone.now()
        # The first time it is (or is scheduled to be) live; an earlier go-live moves it.
        if not self.first_published_at or self.first_published_at > timezone.now():
            self.first_published_at = self.published_at

    def _remember_old_slug(self):
        old_slug = self._saved_slug
        self._saved_slug = self.slug
        # Taking back one of its own old addresses; another article's stay reserved.
        old_addresses().filter(old_slug=self.slug, article=self).delete()
        if old_slug and old_slug != self.slug and self.first_published_at:
            old_addresses().update_or_create(old_slug=old_slug, defaults={"article": self})

    def _note_body_images(self):
        placed = BodyImage.objects.filter(pk__in=body_image_ids(self.body))
        self.body_images.set(placed.values_list("pk", flat=True))

    def body_images_by_id(self):
        """The images the body places, by id: those loaded by `with_everything()`, and one
        query for any others (a preview of unsaved changes may place new ones)."""
        ids = body_image_ids(self.body)
        if not ids:
            return {}
        known = {image.pk: image for image in self.body_images.all()} if self.pk else {}
        if missing := [pk for pk in ids if pk not in known]:
            known |= BodyImage.objects.in_bulk(missing)
        return known

    def publish(self, when=None):
        self.status = self.Status.PUBLISHED
        self.published_at = when or self.published_at or timezone.now()
        self.save()

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.save()

    def body_with_links(self):
        """The body as readers see it: its blocks, with a SEE ALSO box where a marker stands
        (adjacent boxes join), and the links placed nowhere in the text for the closing block.

        Returns (parts, end_links), each part a `BodyPart`. A marker whose link is hidden (its
        target is not public) or unknown shows nothing. Expects `visible_links`, as loaded
        by `with_everything()`.
        """
        visible = {link.key: link for link in self.visible_links}
        images = self.body_images_by_id()
        parts, shown, placed = [], set(), set()
        for block in body.body_blocks(self.body):
            if not block.see_also:
                if html := render_markers(block.html, images):  # an unknown image: nothing
                    parts.append(BodyPart(html=html))
                continue
            placed.add(block.see_also)
            link = visible.get(block.see_also)
            if link is None or link.key in shown:
                continue
            shown.add(link.key)
            if parts and parts[-1].links:
                parts[-1].links.append(link)
            else:
                parts.append(BodyPart(links=[link]))
        end_links = [link for link in self.visible_links if link.key not in placed]
        return parts, end_links


@dataclass
class BodyPart:
    """A block of the body (safe, sanitised HTML), or a SEE ALSO box's links."""

    html: str = ""
    links: list = field(default_factory=list)

    @property
    def safe_html(self):
        return mark_safe(self.html)  # noqa: S308 (sanitised on save)


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
