"""Many plausible articles, fast, for benchmarks and scale tests.

Rows are built in memory with everything `save()` would have filled (headline_key, body_text,
slug), then inserted with `bulk_create`, one transaction per batch, bylines and tags with
them. Each batch's ids are taken first and its tags inserted before its articles (the foreign
keys are checked at the commit): the search index's triggers, on PostgreSQL and on SQLite, then
build each article's document once, tags included, rather than once more for every tag. The
page cache's triggers advance the content version once per statement (PostgreSQL: per
transaction), as for any other write.
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Section, Tag
from articles.sanitize import headline_key

SLUG_PREFIX = "sample-"
BATCH = 5000  # articles per transaction
INSERT_BATCH = 1000  # rows per INSERT statement

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
# Plain words only: the body's text is these sentences joined by spaces, as html_to_text reads it.
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


def sample_slug(number):
    return f"{SLUG_PREFIX}{number:06d}"


def _headline(rng, number):
    return (
        f"{rng.choice(COMPANIES)} {rng.choice(VERBS)} {rng.choice(THINGS)} "
        f"{rng.choice(PLACES)} (No. {number})"
    )


def _paragraphs(rng):
    return [rng.sample(SENTENCES, 3) for _ in range(rng.randint(4, 8))]


class _Batch:
    """One batch's rows, built in memory: articles, bylines and tag links."""

    def __init__(self, choices, now):
        self.choices = choices
        self.now = now
        self.articles, self.bylines, self.tags = [], [], []

    def add(self, number, pk):
        sections, authors, tags = self.choices
        # One generator per article: sample-000123 is the same article whatever exists already.
        rng = random.Random(number)  # noqa: S311 (sample data)
        headline = _headline(rng, number)
        paragraphs = _paragraphs(rng)
        published_at = self.now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        self.articles.append(
            Article(
                pk=pk,
                headline=headline,
                headline_key=headline_key(headline),
                slug=sample_slug(number),
                dek=rng.choice(SENTENCES),
                body="".join(f"<p>{' '.join(sentences)}</p>" for sentences in paragraphs),
                body_text=" ".join(sentence for sentences in paragraphs for sentence in sentences),
                section_id=rng.choice(sections),
                status=Article.Status.PUBLISHED,
                published_at=published_at,
                first_published_at=published_at,
            )
        )
        self.bylines.append(Byline(article_id=pk, author_id=rng.choice(authors), position=0))
        Through = Article.tags.through
        self.tags.extend(
            Through(article_id=pk, tag_id=tag)
            for tag in rng.sample(tags, min(len(tags), rng.randint(1, 3)))
        )

    def save(self):
        # Tags first: the search triggers find no article yet and do nothing; the articles'
        # own triggers then index each one once, with its tags.
        Article.tags.through.objects.bulk_create(self.tags, batch_size=INSERT_BATCH)
        Article.objects.bulk_create(self.articles, batch_size=INSERT_BATCH)
        Byline.objects.bulk_create(self.bylines, batch_size=INSERT_BATCH)


def _reserve_ids(count):
    """`count` new article ids, in order; called inside the batch's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('articles_article', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite has one writer at a time; a seed is not run beside another writer.
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + count + 1))


def _choices():
    """Ids of the sections, authors and tags to draw from; the demo's, or a minimal set."""
    if not Section.objects.exists():
        Section.objects.create(name="News", slug="news")
    if not Author.objects.exists():
        Author.objects.create(name="Newsroom Staff", slug="newsroom-staff")
    if not Tag.objects.exists():
        for name in COMPANIES:
            Tag.objects.named(name)
    return tuple(
        list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in (Section, Author, Tag)
    )


def generate_articles(count, *, progress=None):
    """Make sure articles sample-000001 … sample-{count} exist; return how many were made.

    `progress(done, count)` is called after each batch.
    """
    choices = _choices()
    now = timezone.now()
    made = 0
    for start in range(1, count + 1, BATCH):
        numbers = range(start, min(start + BATCH, count + 1))
        existing = set(
            Article.objects.filter(
                slug__in=[sample_slug(number) for number in numbers]
            ).values_list("slug", flat=True)
        )
        wanted = [number for number in numbers if sample_slug(number) not in existing]
        if wanted:
            with transaction.atomic():
                batch = _Batch(choices, now)
                for number, pk in zip(wanted, _reserve_ids(len(wanted)), strict=True):
                    batch.add(number, pk)
                batch.save()
            made += len(wanted)
        if progress:
            progress(numbers[-1], count)
    if made:
        # Fresh planner statistics after a bulk load; without them counts scan the table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made
