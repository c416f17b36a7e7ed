from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "articles.demo"
    label = "demo"
    verbose_name = "Demo content"
