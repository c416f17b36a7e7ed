"""Renditions are made by a task after the editor's save, by the real database queue and its
worker; until they exist, pages link only the (re-encoded) original."""

import signal
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.images.renditions import rendition_name, widths_for
from articles.images.tasks import make_renditions, render_and_record
from articles.models import Article, BodyImage
from tests.desk.test_admin import article_data, form_errors
from tests.factories import image_upload, make_article, make_author

from .samples import plain_bytes, upload

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class ImageAddresses(HTMLParser):
    """Every image address in a page: src and each srcset entry."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img", "source"):
            if attrs.get("src"):
                self.found.append(attrs["src"])
            for entry in (attrs.get("srcset") or "").split(","):
                if entry.strip():
                    self.found.append(entry.split()[0])


def media_addresses(page):
    prefix = settings.MEDIA_URL
    return [url for url in ImageAddresses(page).found if url.startswith(prefix)]


def assert_every_address_exists(page):
    addresses = media_addresses(page)
    assert addresses
    for url in addresses:
        assert default_storage.exists(unquote(url.removeprefix(settings.MEDIA_URL))), url
    return addresses


def renditions_of(image):
    return [
        rendition_name(image.name, size, fmt)
        for size in widths_for(image.width)
        for fmt in ("webp", "jpg")
    ]


def run_worker():
    """The database backend's own worker, as `manage.py db_worker --batch` runs it: every queued
    task, then it stops. It sets its own signal handlers; the test run gets its own back."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_renditions_after_the_save_and_then_pages_link_them(
    client, editor_client, settings
):
    settings.TASKS = DATABASE_QUEUE
    author = make_author("Li Wei")
    fields = article_data(
        headline="Harbour", slug="harbour", authors=[author], hero_alt="Cranes", status="published"
    )
    fields["hero_image"] = upload(plain_bytes("JPEG", size=(700, 400)), "crane.jpg")

    response = editor_client.post(reverse("admin:articles_article_add"), fields)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="harbour")
    # The save only queued the work: no rendition yet, and the page links the original alone.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "articles.images.tasks.make_renditions"
    assert queued.status == "READY"
    assert not any(default_storage.exists(name) for name in renditions_of(article.hero_image))
    page = client.get(article.get_absolute_url()).content.decode()
    assert assert_every_address_exists(page) == [article.hero_image.url]
    assert "srcset" not in page

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
    article.refresh_from_db()
    assert article.hero_rendered == article.hero_image.name
    assert all(default_storage.exists(name) for name in renditions_of(article.hero_image))
    page = client.get(article.get_absolute_url()).content.decode()
    addresses = assert_every_address_exists(page)
    assert len(addresses) == 1 + 2 * len(widths_for(700))  # src, then both srcsets
    assert 'srcset="' in page


@pytest.mark.django_db
def test_the_task_runs_after_the_commit_not_inside_the_save(
    editor_client, django_capture_on_commit_callbacks
):
    author = make_author("Li Wei")
    fields = article_data(headline="Harbour", slug="harbour", authors=[author], hero_alt="Cranes")
    fields["hero_image"] = upload(plain_bytes("PNG", size=(500, 300)), "crane.png")

    with django_capture_on_commit_callbacks() as callbacks:
        editor_client.post(reverse("admin:articles_article_add"), fields)
        article = Article.objects.get(slug="harbour")
        assert article.hero_rendered == ""
        assert not default_storage.exists(renditions_of(article.hero_image)[0])
    for callback in callbacks:
        callback()

    article.refresh_from_db()
    assert article.hero_rendered == article.hero_image.name
    assert all(default_storage.exists(name) for name in renditions_of(article.hero_image))


@pytest.mark.django_db
def test_a_body_image_upload_queues_its_renditions(
    writer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = writer_client.post(
            reverse("images:upload_body_image"),
            {"file": upload(plain_bytes("PNG", size=(500, 300))), "alt": "A chart"},
        )
    assert response.status_code == 201
    assert len(callbacks) == 1
    image = BodyImage.objects.get()
    assert image.rendered == image.file.name


@pytest.mark.django_db
def test_a_task_for_an_image_replaced_meanwhile_does_nothing():
    article = make_article(hero_image=image_upload(size=(500, 300)), hero_alt="Cranes")
    old = article.hero_image.name
    article.hero_image = image_upload(size=(400, 300))
    article.save()

    assert make_renditions.call("articles.article", article.pk, "hero_image", old) == 0
    assert not default_storage.exists(rendition_name(old, 320, "jpg"))
    article.refresh_from_db()
    assert article.hero_rendered == ""


@pytest.mark.django_db
def test_renditions_made_for_an_image_replaced_while_they_were_made_are_removed():
    article = make_article(hero_image=image_upload(size=(500, 300)), hero_alt="Cranes")
    stale = Article.objects.get(pk=article.pk)  # what the task loaded
    article.hero_image = image_upload(size=(400, 300))
    article.save()
    default_storage.delete(stale.hero_image.name)
    default_storage.save(stale.hero_image.name, upload(plain_bytes("PNG", size=(500, 300))))

    render_and_record(stale, "hero_image")

    assert not any(default_storage.exists(name) for name in renditions_of(stale.hero_image))
    article.refresh_from_db()
    assert article.hero_rendered == ""


@pytest.mark.django_db
def test_a_draft_of_changes_carries_its_hero_images_renditions_to_the_live_story(editor):
    from articles.desk import changes

    live = make_article(hero_image=image_upload(size=(500, 300)), hero_alt="Old")
    render_and_record(live, "hero_image")
    draft = changes.prepare(live, user=editor)
    assert draft.hero_rendered == live.hero_image.name
    draft.hero_image = image_upload(size=(400, 300))
    draft.save()
    render_and_record(draft, "hero_image")

    changes.publish(draft, user=editor)

    live.refresh_from_db()
    assert live.hero_image.name == draft.hero_image.name
    assert live.hero_rendered == live.hero_image.name
