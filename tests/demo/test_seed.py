from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.body import read_markers
from articles.models import Article, Author, BodyImage, RelatedLink, Revision, Section, Tag

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


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
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


def test_the_demo_stays_out_of_tests_that_do_not_ask_for_it(demo_seed):
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


def test_negative_count_is_an_error():
    with pytest.raises(CommandError, match="zero or more"):
        seed("--count", "-1")
