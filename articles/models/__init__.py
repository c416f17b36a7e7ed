"""The newsroom's content, split along its seams; import everything from here."""

from .article import BODY_EDITOR_EXTENSIONS, Article, ArticleQuerySet, Byline, public_condition
from .images import BodyImage, BodyImageUse, body_image_ids
from .links import RelatedLink, RelatedLinkQuerySet, SlugRedirect
from .revision import Revision
from .slugs import unique_slug
from .taxonomy import Author, Section, Tag, TagQuerySet, WithPublicArticlesQuerySet

__all__ = [
    "BODY_EDITOR_EXTENSIONS",
    "Article",
    "ArticleQuerySet",
    "Author",
    "BodyImage",
    "BodyImageUse",
    "Byline",
    "WithPublicArticlesQuerySet",
    "RelatedLink",
    "RelatedLinkQuerySet",
    "Revision",
    "Section",
    "SlugRedirect",
    "Tag",
    "TagQuerySet",
    "body_image_ids",
    "public_condition",
    "unique_slug",
]
