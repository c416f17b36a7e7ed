"""Never stale: every kind of write shows on the next anonymous request, on every app server;
the clock publishes and takes down stories in cached pages and feeds at their times; a new
release starts from an empty cache."""

import json
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.cache import freshness
from articles.cache.edge import EdgeCache
from articles.desk import workflow
from articles.images.tasks import render_and_record
from articles.models import Article, Byline, RelatedLink
from articles.syndication.feeds import feed_path
from articles.syndication.sitemaps import NewsSitemap
from tests.factories import image_upload, link, make_article, make_author, make_section, make_tag

from .conftest import WsgiClient, forget, redis_cache, redis_reachable

# serialized_rollback: keep what data migrations made (the roles) for the tests after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def news():
    section = make_section("Batteries", slug="batteries")
    ann, tag = make_author("Ann Lee", slug="ann-lee"), make_tag("CATL")
    story = make_article(
        "Sodium-ion cells reach the market",
        slug="sodium-ion",
        section=section,
        authors=[ann],
        tags=[tag],
        dek="Cheaper cells for small cars.",
    )
    elsewhere = make_article("Chip export rules tighten", section=make_section("Chips"))
    return SimpleNamespace(story=story, section=section, ann=ann, tag=tag, elsewhere=elsewhere)


HOME = "/"
STORY = "/articles/sodium-ion/"


def rename(instance, name):
    instance.name = name
    instance.save()


def save_headline(news, editor):
    news.story.headline = "Sodium-ion cells sell out"
    news.story.save()


def publish(news, editor):
    make_article("Solid-state pilot line opens", live=False).publish()


def unpublish(news, editor):
    news.story.unpublish()


def trash(news, editor):
    workflow.take(news.story, workflow.Action.TRASH, user=editor)


def restore(news, editor):
    workflow.take(news.story, workflow.Action.RESTORE, user=editor)


def byline_by_bulk_create(news, editor):
    Byline.objects.bulk_create(
        [Byline(article=news.story, author=make_author("Bo Chen"), position=1)]
    )


def rename_tag(news, editor):
    rename(news.tag, "Contemporary Amperex")


def rename_section(news, editor):
    rename(news.section, "Cells and packs")


def rename_author(news, editor):
    rename(news.ann, "Ann Lee-Chen")


def add_see_also(news, editor):
    link(news.story, news.elsewhere)


def remove_see_also(news, editor):
    RelatedLink.objects.filter(article=news.story).delete()


def change_hero_image(news, editor):
    news.story.hero_image = image_upload("cell-line.png")
    news.story.hero_alt = "A cell production line"
    news.story.save()


def update_queryset(news, editor):
    Article.objects.filter(pk=news.story.pk).update(dek="Prices fall by a third.")


# (write, page, what the page shows before, what it shows after; None: not there)
WRITES = [
    (save_headline, STORY, "Sodium-ion cells reach the market", "Sodium-ion cells sell out"),
    (publish, HOME, None, "Solid-state pilot line opens"),
    (unpublish, HOME, "Sodium-ion cells reach the market", None),
    (trash, HOME, "Sodium-ion cells reach the market", None),
    (byline_by_bulk_create, STORY, None, "Bo Chen"),
    (rename_tag, STORY, "CATL", "Contemporary Amperex"),
    (rename_section, STORY, "Batteries", "Cells and packs"),
    (rename_author, STORY, None, "Ann Lee-Chen"),
    (add_see_also, STORY, None, "Chip export rules tighten"),
    (change_hero_image, STORY, None, "A cell production line"),
    (update_queryset, STORY, "Cheaper cells for small cars.", "Prices fall by a third."),
]


@pytest.mark.parametrize(
    ("write", "url", "before", "after"), WRITES, ids=[write.__name__ for write, *_ in WRITES]
)
def test_every_kind_of_write_shows_on_the_next_request(
    edge, news, editor, write, url, before, after
):
    shows_after_the_write(edge, news, editor, write, url, before, after)


def test_a_restored_story_comes_back(edge, news, editor):
    trash(news, editor)
    shows_after_the_write(edge, news, editor, restore, HOME, None, "Sodium-ion cells reach")


def test_a_removed_see_also_link_goes(edge, news, editor):
    link(news.story, news.elsewhere)
    shows_after_the_write(edge, news, editor, remove_see_also, STORY, "Chip export", None)


def test_a_feed_shows_a_write_at_once(edge, news, editor):
    url = feed_path(news.tag, "json")
    shows_after_the_write(edge, news, editor, save_headline, url, "reach the market", "sell out")


def test_renditions_the_task_worker_records_show_at_once(edge, news, settings):
    """The worker records them with QuerySet.update(): no signal, and yet the next page."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    change_hero_image(news, editor=None)
    original = edge.get(STORY)
    assert "image/webp" not in original.text and "A cell production line" in original.text
    assert edge.get(STORY).x_cache == "hit"
    render_and_record(Article.objects.get(pk=news.story.pk), "hero_image")
    page = edge.get(STORY)
    assert page.x_cache == "miss" and "image/webp" in page.text


def shows_after_the_write(edge, news, editor, write, url, before, after):
    first, cached = edge.get(url), edge.get(url)
    assert (first.x_cache, cached.x_cache) == ("miss", "hit")
    if before:
        assert before in cached.text
    if after:
        assert after not in cached.text
    write(news, editor)
    fresh = edge.get(url)
    assert fresh.x_cache == "miss"
    if before and not after:
        assert before not in fresh.text
    if after:
        assert after in fresh.text
    assert edge.get(url).x_cache == "hit"


# Several app servers ---------------------------------------------------------------------------


@pytest.fixture
def two_servers(settings):
    """Two app servers, each the page cache around a Django of its own, sharing one Redis."""
    if not redis_reachable():
        pytest.skip("no Redis reachable")
    config = redis_cache()
    with override_settings(CACHES={**settings.CACHES, "pages": config}):
        yield [WsgiClient(EdgeCache(WSGIHandler())) for _ in range(2)]
        forget(config)


def test_a_second_app_server_shares_the_pages_and_sees_every_write(two_servers, news):
    one, two = two_servers
    assert (one.get(HOME).x_cache, two.get(HOME).x_cache) == ("miss", "hit")
    news.story.headline = "Sodium-ion cells sell out"
    news.story.save()
    after = [two.get(HOME), one.get(HOME)]
    assert [answer.x_cache for answer in after] == ["miss", "hit"]
    assert all("Sodium-ion cells sell out" in answer.text for answer in after)


def test_a_new_release_does_not_read_the_old_ones_pages(two_servers, news, settings):
    one, _ = two_servers
    one.get(HOME)
    settings.SITE_NAME = "The Battery Ledger"
    redeployed = WsgiClient(EdgeCache(WSGIHandler()))
    page = redeployed.get(HOME)
    assert page.x_cache == "miss" and "The Battery Ledger" in page.text


# The clock --------------------------------------------------------------------------------------


@pytest.fixture
def timeouts(pages_cache, monkeypatch):
    """The timeout of every page stored."""
    seen = []
    store = pages_cache.set

    def spy(key, value, timeout=None, **kwargs):
        seen.append(timeout)
        return store(key, value, timeout, **kwargs)

    monkeypatch.setattr(pages_cache, "set", spy)
    return seen


def test_no_page_is_kept_past_the_next_publication(edge, news, timeouts):
    make_article("Due soon", published_at=timezone.now() + timedelta(seconds=90))
    edge.get(HOME)
    assert 85 <= timeouts[-1] <= 90


def test_no_page_is_kept_past_the_next_take_down(edge, news, timeouts):
    make_article("Comes down soon", expires_at=timezone.now() + timedelta(seconds=200))
    edge.get(feed_path())
    assert 195 <= timeouts[-1] <= 200


def test_no_page_is_kept_past_a_story_leaving_the_news_sitemap(edge, news, timeouts):
    leaving = timezone.now() - NewsSitemap.window + timedelta(seconds=300)
    make_article("Nearly two days old", published_at=leaving)
    edge.get(reverse("syndication:news_sitemap"))
    assert 295 <= timeouts[-1] <= 300


def test_with_nothing_due_a_page_is_kept_edge_cache_seconds(edge, news, timeouts, settings):
    settings.EDGE_CACHE_SECONDS = 1234
    edge.get(HOME)
    assert timeouts == [1234]


def test_a_story_due_now_goes_live_and_one_taken_down_goes_in_pages_and_feeds(edge, news):
    due = timezone.now() + timedelta(seconds=2)
    make_article("Goes live by itself", published_at=due, tags=[news.tag])
    make_article("Comes down by itself", expires_at=due, tags=[news.tag])
    pages = [HOME, reverse("site:tag", kwargs={"slug": news.tag.slug}), feed_path(news.tag)]
    for url in pages:
        edge.get(url)
        before = edge.get(url)
        assert before.x_cache == "hit"
        assert "Goes live by itself" not in before.text
        assert "Comes down by itself" in before.text
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.2)
    for url in pages:
        after = edge.get(url)
        assert "Goes live by itself" in after.text, url
        assert "Comes down by itself" not in after.text, url


def test_next_change_looks_only_at_what_can_become_or_stop_being_public():
    now = timezone.now()
    assert freshness.next_change(now) is None
    make_article("Old news", published_at=now - timedelta(days=3))
    assert freshness.next_change(now) is None
    fresh = make_article("Fresh news", published_at=now - timedelta(hours=1))
    assert freshness.next_change(now) == fresh.published_at + NewsSitemap.window
    fresh.delete()
    soon = now + timedelta(hours=1)
    make_article("Draft with a time", live=False, published_at=now + timedelta(minutes=5))
    make_article("Trashed", published_at=now + timedelta(minutes=5), trashed_at=now)
    assert freshness.next_change(now) is None
    make_article("Scheduled", published_at=soon)
    assert freshness.next_change(now) == soon
    make_article("Taken down", expires_at=now + timedelta(minutes=30))
    assert freshness.next_change(now) == now + timedelta(minutes=30)


def test_the_next_change_reads_take_down_times_from_their_partial_index():
    now = timezone.now()
    for hours in range(1, 4):
        make_article(f"Taken down in {hours} h", expires_at=now + timedelta(hours=hours))
    with CaptureQueriesContext(connection) as queries:
        assert freshness.next_change(now) == now + timedelta(hours=1)
    (query,) = queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: it would scan them
            cursor.execute(f"EXPLAIN {query['sql']}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "article_take_down_idx" in plan, plan


def test_the_schedule_asks_once_per_version_until_its_moment_passes(monkeypatch):
    asked = []
    due = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(freshness, "next_change", lambda now: asked.append(now) or due)
    schedule = freshness.Schedule()
    assert schedule.next_change(1) == schedule.next_change(1) == due
    assert len(asked) == 1
    schedule.next_change(2)
    schedule.next_change(2, now=due + timedelta(seconds=1))
    assert len(asked) == 3


def test_the_release_follows_the_settings_pages_show_and_the_static_names(settings, tmp_path):
    first = freshness.release()
    assert freshness.release() == first
    settings.SITE_NAME = "The Battery Ledger"
    renamed = freshness.release()
    assert renamed != first
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {"a.css": "a.1.css"}}))
    assert freshness.release() != renamed
