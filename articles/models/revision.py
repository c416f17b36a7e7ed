from django.conf import settings
from django.db import models
from django.utils import timezone

from .article import Article


class Revision(models.Model):
    """A snapshot of an article as an editor saved it: no edit is ever lost."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    data = models.JSONField()
    # What the save did (e.g. "Published", "Sent back"), and a note for the writer.
    action = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.article} (version {self.version})"

    @classmethod
    def capture(cls, article, user=None, *, action="", note=""):
        """Keep the whole article as it is saved now, with who saved it and what the save did.

        Related rows are kept by id, with the name each had then beside it (`section_name`,
        `author_names`, `tag_ids` beside the tag names, a link's `target_headline` and
        `target_slug`), so a revision stays readable after a section, author or article is
        renamed or deleted, and a restore finds the same rows again.
        """
        links = [
            {
                "position": link.position,
                "target_article": link.target_article_id,
                "target_headline": link.target_article.headline if link.target_article else "",
                "target_slug": link.target_article.slug if link.target_article else "",
                "url": link.url,
                "title": link.title,
            }
            for link in article.related_links.select_related("target_article").order_by(
                "position", "pk"
            )
        ]
        bylines = list(
            article.bylines.order_by("position", "pk").values_list("author_id", "author__name")
        )
        tags = list(article.tags.order_by("name", "pk").values_list("pk", "name"))
        data = {
            "headline": article.headline,
            "slug": article.slug,
            "dek": article.dek,
            "body": article.body,
            "status": article.status,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "expires_at": article.expires_at.isoformat() if article.expires_at else None,
            "section": article.section_id,
            "section_name": article.section.name if article.section_id else "",
            "authors": [author_id for author_id, _ in bylines],
            "author_names": [name for _, name in bylines],
            "tags": [name for _, name in tags],
            "tag_ids": [pk for pk, _ in tags],
            "hero_image": article.hero_image.name or "",
            "hero_alt": article.hero_alt,
            "hero_caption": article.hero_caption,
            "hero_credit": article.hero_credit,
            "featured": article.featured,
            "seo_title": article.seo_title,
            "seo_description": article.seo_description,
            "related_links": links,
        }
        return cls.objects.create(
            article=article, version=article.version, user=user, data=data, action=action, note=note
        )
