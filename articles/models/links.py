"""Where an article points readers: SEE ALSO links, and the addresses it used to have."""

from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q

from ..sanitize import clean_text
from .article import Article, public_condition

HTTP_URL = URLValidator(schemes=["http", "https"])


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
