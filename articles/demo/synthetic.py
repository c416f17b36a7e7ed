"""Many plausible articles, fast, for benchmarks and scale tests."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Section, Tag
from articles.sanitize import headline_key, html_to_text

SLUG_PREFIX = "sample-"
BATCH = 2000

COMPANIES = ["BYD", "NIO", "XPeng", "Li Auto", "Xiaomi", "Huawei", "CATL", "Geely", "Zeekr",
             "Baidu", "SMIC", "Leapmotor", "Great Wall", "Chery", "Honor", "Oppo"]  # fmt: skip
VERBS = ["Expands", "Unveils", "Cuts Prices on", "Doubles Output of", "Delays", "Tests",
         "Exports", "Recalls", "Upgrades", "Launches"]  # fmt: skip
THINGS = ["Battery Packs", "Charging Network", "Flagship Sedan", "Driver-Assist Software",
          "Smartphone Line", "AI Chips", "Robotaxi Fleet", "Solid-State Cells", "Compact SUV",
          "Overseas Plant"]  # fmt: skip
PLACES = ["in Europe", "in Southeast Asia", "Ahead of Holiday Season", "Amid Price War",
          "After Regulatory Nod", "in Latin America", "as Demand Cools",
          "for Export Markets"]  # fmt: skip
SENTENCES = [
    "Analysts said the move reflects intensifying competition in the domestic market.",
    "The company did not disclose financial terms.",
    "Suppliers have been asked to cut costs by as much as a tenth this year.",
    "Shares rose in early trading before giving back most of the gains.",
    "Industry data show deliveries rising for a third straight month.",
    "Rivals are expected to respond with discounts of their own.",
    "A spokesperson said more details would follow at a launch event.",
    "Regulators have signalled closer scrutiny of pricing practices.",
]


def _headline(rng, number):
    return (
        f"{rng.choice(COMPANIES)} {rng.choice(VERBS)} {rng.choice(THINGS)} "
        f"{rng.choice(PLACES)} (No. {number})"
    )


def _body(rng):
    paragraphs = (" ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randint(4, 8)))
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def generate_articles(count, *, seed=2026):
    """Make sure articles sample-000001 … sample-{count} exist; return how many were made."""
    rng = random.Random(seed)  # noqa: S311 (sample data)
    sections = list(Section.objects.all()) or [Section.objects.create(name="News", slug="news")]
    authors = list(Author.objects.all()) or [
        Author.objects.create(name="Newsroom Staff", slug="newsroom-staff")
    ]
    tags = list(Tag.objects.all()) or [Tag.objects.create(name=name) for name in COMPANIES]
    existing = set(
        Article.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    now = timezone.now()
    made = 0
    for start in range(1, count + 1, BATCH):
        batch = []
        for number in range(start, min(start + BATCH, count + 1)):
            slug = f"{SLUG_PREFIX}{number:06d}"
            headline = _headline(rng, number)
            if slug in existing:
                continue
            published_at = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            dek, body = rng.choice(SENTENCES), _body(rng)
            batch.append(
                Article(
                    headline=headline,
                    headline_key=headline_key(headline),
                    slug=slug,
                    dek=dek,
                    body=body,
                    body_text=html_to_text(body),
                    section=rng.choice(sections),
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    first_published_at=published_at,
                )
            )
        if not batch:
            continue
        with transaction.atomic():
            Article.objects.bulk_create(batch, batch_size=500)
            Byline.objects.bulk_create(
                [Byline(article=a, author=rng.choice(authors), position=0) for a in batch],
                batch_size=1000,
            )
            Through = Article.tags.through
            Through.objects.bulk_create(
                [
                    Through(article=a, tag=tag)
                    for a in batch
                    for tag in rng.sample(tags, min(len(tags), rng.randint(1, 3)))
                ],
                batch_size=1000,
            )
        made += len(batch)
    if made:
        # Fresh planner statistics after a bulk load; without them counts scan the table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made
