from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "articles.images"
    label = "images"
    verbose_name = "Images"
