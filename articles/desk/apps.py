from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "articles.desk"
    label = "desk"
    verbose_name = "Editorial desk"
