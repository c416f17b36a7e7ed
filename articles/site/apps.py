from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "articles.site"
    label = "site"
    verbose_name = "Reader site"
