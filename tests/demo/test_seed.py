import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.body import read_markers
from articles.demo import synthetic
from articles.models import Article, Author, BodyImage, RelatedLink, Revision, Section, Tag
from articles.sanitize import headline_key, html_to_text
from articles.search.backends import SearchResults

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "articles": sorted(
            Article.objects.values_list(
                "slug",
                "headline",
                "status",
                "published_at",
                "featured",
                "hero_image",
                "section__slug",
            )
        ),
        "links": list(
            RelatedLink.objects.order_by("article__slug", "position", "url").values_list(
                "article__slug", "target_article__slug", "url", "position"
            )
        ),
        "bodies": list(Article.objects.order_by("slug").values_list("body", flat=True)),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "sections": Section.objects.count(),
        "authors": Author.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    }


def seed(*args, stderr=None):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=stderr or StringIO())
    return out.getvalue()


def test_seed_demo_is_idempotent(demo_newsroom):
    assert "editor / " in demo_newsroom.output  # the first run, on an empty database
    first = snapshot()
    assert "0 created, 12 already there" in seed()
    assert snapshot() == first


def test_demo_newsroom_has_what_it_promises(client, demo_newsroom):
    public = Article.objects.public()
    assert public.count() == 10
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert sum(article.is_scheduled for article in Article.objects.all()) == 1
    assert public.filter(featured=True).count() == 1
    assert all(article.hero_image and article.hero_alt for article in Article.objects.all())
    # Links of both kinds, in the text and at the end.
    boxes = [marker for a in Article.objects.all() for marker in read_markers(a.body)]
    assert any(marker.article_id for marker in boxes) and any(marker.url for marker in boxes)
    assert RelatedLink.objects.filter(target_article__isnull=True).count() > sum(
        1 for marker in boxes if marker.url
    )
    lead = public.get(featured=True)
    image = BodyImage.objects.get()
    assert list(lead.body_images.all()) == [image] and image.rendered == image.file.name
    page = client.get(lead.get_absolute_url()).content.decode()
    assert f'alt="{image.alt}"' in page and image.caption in page
    for article in public:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


def test_demo_accounts_can_log_in(client, demo_newsroom):
    assert client.login(username="editor", password="newsroom-demo")
    assert client.get("/admin/articles/article/").status_code == 200


def test_count_generates_synthetic_articles_once(demo_newsroom):
    seed("--count", "250", "--no-accounts")
    assert Article.objects.filter(slug__startswith="sample-").count() == 250
    seed("--count", "300", "--no-accounts")
    assert Article.objects.filter(slug__startswith="sample-").count() == 300
    sample = Article.objects.public().with_byline().filter(slug__startswith="sample-").first()
    assert sample.byline and sample.tags.exists()
    # Synthetic articles are bulk data: no history. (The demo stories keep "Imported".)
    assert not Revision.objects.filter(article__slug__startswith="sample-").exists()


def words(text):
    return set(re.findall(r"\w+", text.lower()))


def test_count_fills_what_saving_would_in_batches(demo_newsroom, monkeypatch):
    monkeypatch.setattr(synthetic, "BATCH", 40)
    seed("--count", "50", "--no-accounts")
    progress = StringIO()
    output = seed("--count", "130", "--no-accounts", stderr=progress)
    assert "80 created (130 wanted in all)" in output
    # In a log (no terminal), a line per tenth of the way, and one at the end.
    assert progress.getvalue().splitlines()[-1].startswith("Synthetic articles: 130 / 130 (100%)")
    samples = Article.objects.filter(slug__startswith="sample-").prefetch_related("tags")
    assert sorted(samples.values_list("slug", flat=True)) == [
        f"sample-{number:06d}" for number in range(1, 131)
    ]
    assert samples.public().count() == 130
    assert all(article.bylines.count() == 1 and article.tags.exists() for article in samples)
    for article in samples:
        assert article.body_text == html_to_text(article.body)
        assert article.headline_key == headline_key(article.headline)

    # Indexed for search once, with its tags: found by a tag named nowhere in its text.
    found = 0
    for article in samples:
        text = words(f"{article.headline} {article.dek} {article.body_text}")
        for tag in article.tags.all():
            if not words(tag.name) & text:
                hits = SearchResults(tag.name, per_page=500)[:500]
                assert article in [hit.article for hit in hits], (article.slug, tag.name)
                found += 1
    assert found


def test_count_makes_the_same_articles_whatever_exists(demo_newsroom):
    seed("--count", "3", "--no-accounts")
    third = Article.objects.get(slug="sample-000003")
    Article.objects.filter(slug__startswith="sample-").delete()
    seed("--count", "3", "--no-accounts")
    again = Article.objects.get(slug="sample-000003")
    assert (again.headline, again.body, again.section_id) == (
        third.headline,
        third.body,
        third.section_id,
    )


def test_the_demo_stays_out_of_tests_that_do_not_ask_for_it(demo_seed):
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_negative_count_is_an_error():
    with pytest.raises(CommandError, match="zero or more"):
        seed("--count", "-1")
