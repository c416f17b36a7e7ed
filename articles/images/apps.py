from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "articles.images"
    label = "images"
    verbose_name = "Images"

    def ready(self):
        from . import cleanup

        cleanup.connect()
