from django.core.management.base import BaseCommand, CommandError

from articles.images.renditions import generate_renditions
from articles.models import Article, Author


class Command(BaseCommand):
    help = (
        "Make the responsive renditions (WebP and JPEG at several widths) of every article hero "
        "image and author photo that lacks them. Safe to run again; --force remakes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Remake renditions that exist already."
        )

    def handle(self, *args, force=False, **options):
        sources = [
            (
                "Article",
                "hero_image",
                Article.objects.exclude(hero_image="").only(
                    "hero_image", "hero_width", "hero_height"
                ),
            ),
            (
                "Author",
                "photo",
                Author.objects.exclude(photo="").only("photo", "photo_width", "photo_height"),
            ),
        ]
        images = written = failures = 0
        for label, field, queryset in sources:
            for obj in queryset.order_by("pk").iterator():
                image = getattr(obj, field)
                images += 1
                try:
                    written += len(generate_renditions(image, force=force))
                except ValueError as error:
                    failures += 1
                    self.stderr.write(f"{label} {obj.pk}: {error}")
        self.stdout.write(
            f"{images} image(s) checked, {written} rendition file(s) written, "
            f"{failures} image(s) with errors."
        )
        if failures:
            raise CommandError(f"{failures} image(s) have no renditions; see the lines above.")
