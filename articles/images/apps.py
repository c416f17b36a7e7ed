from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "articles.images"
    label = "images"
    verbose_name = "Images"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from . import cleanup

        cleanup.connect()
        # Pillow refuses to decode anything far larger than an upload may be (twice this).
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_MEGAPIXELS * 1_000_000
