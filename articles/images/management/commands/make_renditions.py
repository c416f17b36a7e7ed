from django.core.management.base import BaseCommand, CommandError

from articles.images.cleanup import IMAGE_FIELDS, dimension_fields
from articles.images.tasks import render_and_record


class Command(BaseCommand):
    help = (
        "Make the responsive renditions (WebP and JPEG at several widths) of every article hero "
        "image, author photo and body image that lacks them, and record that they exist, so "
        "that pages link them. Safe to run again; --force remakes them all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Remake renditions that exist already."
        )

    def handle(self, *args, force=False, **options):
        images = written = failures = 0
        for model, field in IMAGE_FIELDS:
            with_image = model._default_manager.exclude(**{field: ""})
            renditions_field = model._meta.get_field(field).renditions_field
            columns = [field, *dimension_fields(model, field), renditions_field]
            for obj in with_image.only(*columns).order_by("pk").iterator():
                images += 1
                try:
                    written += render_and_record(obj, field, force=force)
                except ValueError as error:
                    failures += 1
                    self.stderr.write(f"{model.__name__} {obj.pk}: {error}")
        self.stdout.write(
            f"{images} image(s) checked, {written} rendition file(s) written, "
            f"{failures} image(s) with errors."
        )
        if failures:
            raise CommandError(f"{failures} image(s) have no renditions; see the lines above.")
