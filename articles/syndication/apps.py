from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "articles.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"
