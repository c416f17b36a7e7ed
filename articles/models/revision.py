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
            "expires_at": article.expires_at.isoformat() if article.expires_at else None,
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
        return cls.objects.create(
            article=article, version=article.version, user=user, data=data, action=action, note=note
        )
