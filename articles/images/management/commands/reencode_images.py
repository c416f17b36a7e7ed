from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.images.cleanup import IMAGE_FIELDS, dimension_fields
from articles.images.fields import GENERATED_NAME
from articles.images.tasks import request_renditions
from articles.images.uploads import clean_image


class Command(BaseCommand):
    help = (
        "Re-encode the images stored before uploads were re-encoded (hero images, author "
        "photos): their metadata (GPS position, camera, names) goes, they are turned upright "
        "and stored under a new random name; the old file and its renditions are deleted and "
        "new renditions are queued. Images stored since are left alone; safe to run again."
    )

    def handle(self, *args, **options):
        done = failures = 0
        for model, field in IMAGE_FIELDS:
            columns = [field, *dimension_fields(model, field)]
            rows = model._default_manager.exclude(**{field: ""}).only(*columns).order_by("pk")
            for row in rows.iterator():
                if GENERATED_NAME.search(getattr(row, field).name):
                    continue
                try:
                    self.reencode(row, field, columns)
                except (ValidationError, OSError) as error:
                    failures += 1
                    reason = " ".join(getattr(error, "messages", [str(error)]))
                    self.stderr.write(f"{model.__name__} {row.pk}: {reason}")
                    continue
                done += 1
        self.stdout.write(f"{done} image(s) re-encoded, {failures} image(s) with errors.")
        if failures:
            raise CommandError(f"{failures} image(s) were left as they are; see the lines above.")

    def reencode(self, row, field, columns):
        image = getattr(row, field)
        with image.open("rb"):
            clean = clean_image(image)
        with transaction.atomic():
            image.save(clean.name, clean, save=False)
            # The old name's files are deleted once this commits (articles/images/cleanup.py).
            row.save(update_fields=columns)
            request_renditions(getattr(row, field))
