from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import Article
from articles.syndication import websub


class Command(BaseCommand):
    help = (
        "Ping the WebSub hub for articles whose scheduled time came in the last N minutes. "
        "Scheduled articles go live on the site by themselves; run this every few minutes "
        "(cron, a systemd timer) only so that subscribers hear of them at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=10,
            help="Look back this far (default 10; more than the interval it runs at).",
        )

    def handle(self, *args, minutes=10, **options):
        if minutes <= 0:
            raise CommandError("--minutes must be more than zero.")
        if not settings.WEBSUB_HUB_URL:
            self.stdout.write("WEBSUB_HUB_URL is not set: there is no hub to tell.")
            return
        since = timezone.now() - timedelta(minutes=minutes)
        # A story can only have gone live in that window if it was scheduled before it.
        due = (
            Article.objects.public()
            .filter(published_at__gt=since)
            .select_related("section")
            .prefetch_related("tags", "authors")
        )
        count = 0
        for article in due:
            websub.announce(article)
            count += 1
        websub.wait_for_pings(timeout=60)
        self.stdout.write(f"Announced {count} article(s) that went live since {since:%H:%M}.")
