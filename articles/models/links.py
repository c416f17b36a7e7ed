"""Where an article points readers: SEE ALSO links, and the addresses it used to have."""

from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q

from ..body import display_host, placed_keys
from ..sanitize import clean_text
from .article import Article, public_condition

HTTP_URL = URLValidator(schemes=["http", "https"])


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self):
        """Outside links, and links to articles the public may see."""
        return self.filter(Q(target_article__isnull=True) | public_condition("target_article__"))

    def not_placed_in(self, html):
        """The links without a SEE ALSO marker in `html`: the closing block's."""
        placed = placed_keys(html)
        return self.exclude(
            target_article__in=[int(key) for key in placed if key.isdigit()]
        ).exclude(url__in=[key for key in placed if not key.isdigit()])

    def for_markers(self, article, markers):
        """The links the markers name, unsaved where they are new: for a preview of a body
        that is not saved yet."""
        links = (
            {
                link.key: link
                for link in self.filter(article=article).select_related("target_article")
            }
            if article.pk
            else {}
        )
        named = [m.article_id for m in markers if m.article_id and m.key not in links]
        targets = Article.objects.in_bulk(named)
        found = []
        for marker in markers:
            link = links.get(marker.key)
            if link is None and (marker.url or marker.article_id in targets):
                link = self.model(
                    article=article,
                    target_article=targets.get(marker.article_id),
                    url=marker.url,
                    title=marker.title or display_host(marker.url),
                )
            elif link is not None and marker.url and marker.title:
                link.title = marker.title
            if link is not None and link.target_article_id != article.pk:
                found.append(link)
        return found

    def keep_in_step(self, article, markers, removed_keys):
        """Make `article`'s links match the SEE ALSO markers in its body: a link for every
        marker (an outside link takes the title the editor gave it), and none for a box the
        editor removed from the text. Links never placed in the text are left as they are."""
        links = {link.key: link for link in self.filter(article=article)}
        # A marker naming an article that does not exist (any more) is passed over.
        named = [marker.article_id for marker in markers if marker.article_id]
        existing = set(Article.objects.filter(pk__in=named).values_list("pk", flat=True))
        markers = [m for m in markers if m.url or m.article_id in existing]
        next_position = (max((link.position for link in links.values()), default=-1)) + 1
        for marker in markers:
            if marker.article_id == article.pk:
                continue  # never to itself (a draft of changes may name its live article)
            link = links.get(marker.key)
            if link is None:
                link = self.model(article=article, position=next_position, url=marker.url)
                link.target_article_id = marker.article_id
                next_position += 1
            title = (marker.title or link.title or display_host(link.url)) if link.url else ""
            if link._state.adding or title != link.title:
                link.title = title
                link.save()
        gone = removed_keys - {marker.key for marker in markers}
        self.filter(article=article).filter(
            Q(target_article_id__in=[int(key) for key in gone if key.isdigit()])
            | Q(url__in=[key for key in gone if not key.isdigit()], target_article=None)
        ).delete()


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
            models.UniqueConstraint(
                fields=["article", "url"],
                condition=~Q(url=""),
                name="related_link_url_once",
                violation_error_message="This article already links to that address.",
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
    def key(self):
        """What a SEE ALSO marker in the body calls this link (see articles/body.py)."""
        return str(self.target_article_id) if self.target_article_id else self.url

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
