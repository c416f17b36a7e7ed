from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Delete for good the articles that have been in the trash longer than TRASH_DAYS "
        "(30 by default). Run it daily (cron, a systemd timer); until then they can be restored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of TRASH_DAYS."
        )

    def handle(self, *args, days=None, **options):
        days = settings.TRASH_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be zero or more.")
        cutoff = timezone.now() - timedelta(days=days)
        purged = 0
        for article in Article.objects.filter(trashed_at__lte=cutoff).order_by("pk"):
            workflow.delete_for_good(article, user=None)
            purged += 1
        self.stdout.write(f"Deleted {purged} article(s) trashed more than {days} day(s) ago.")
