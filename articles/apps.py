from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The content model: articles, their links, taxonomy and revisions, and the public rule.

    Each other concern is a room of its own inside this package (desk, site, syndication,
    search, images, demo); see docs/architecture.md.
    """

    name = "articles"
    verbose_name = "Articles"
