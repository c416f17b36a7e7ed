"""Fixtures every room's tests share: the people at the desk, the visibility twins, a query
counter, and the demo newsroom (seeded once per test database)."""

import shutil
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import link, make_article, make_author, make_section, make_staff, make_tag

# The browser tests: one Chromium for the run (`browser`), and their place at its end.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads from a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the desk keeps who is editing there, for one)."""
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Passwords hashed in a blink: the strength of the real hasher is not under test."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# Counting queries -----------------------------------------------------------------------------


@pytest.fixture
def query_count(client):
    """`query_count(url, data)`: how many queries a GET of a page makes, by the test's `client`
    or another (`client=editor_client`).

    The page must answer 200: an error page's count proves nothing.
    """

    def count(url, data=None, *, client=client, **headers):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    return count


# The people at the desk -----------------------------------------------------------------------


@pytest.fixture
def editor():
    return make_staff("edna", "Editor")


@pytest.fixture
def writer():
    return make_staff("walt", "Writer")


@pytest.fixture
def editor_client(editor):
    """A browser of its own, logged in as an editor (the `client` fixture stays anonymous)."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(writer):
    """A browser of its own, logged in as a writer."""
    client = Client()
    client.force_login(writer)
    return client


# Visibility twins -----------------------------------------------------------------------------


@pytest.fixture
def twins():
    """A live story and one twin in each state that is not public: draft, in review, scheduled,
    unpublished, taken down (expired) and in the trash. All share the live story's section,
    author and tag, and the live story's SEE ALSO links point at five of them, so every page
    that lists or links the live story is a place a twin could leak into."""
    section = make_section("Electric Vehicles", slug="ev")
    author, tag = make_author("Ann Lee"), make_tag("BYD")
    shared = {"section": section, "authors": [author], "tags": [tag]}
    live = make_article("Live story", **shared)
    hidden = {
        "draft": make_article("Draft twin", live=False, **shared),
        "review": make_article(
            "Review twin", live=False, status=Article.Status.IN_REVIEW, **shared
        ),
        "scheduled": make_article(
            "Scheduled twin", published_at=timezone.now() + timedelta(hours=2), **shared
        ),
        "unpublished": make_article("Unpublished twin", **shared),
    }
    hidden["expired"] = make_article(
        "Expired twin",
        published_at=timezone.now() - timedelta(hours=3),
        expires_at=timezone.now() - timedelta(minutes=1),
        **shared,
    )
    hidden["trashed"] = make_article("Trashed twin", trashed_at=timezone.now(), **shared)
    hidden["unpublished"].unpublish()
    link(live, hidden["draft"], after=1, position=0)
    link(live, hidden["scheduled"], position=1)
    link(live, hidden["unpublished"], position=2)
    link(live, hidden["expired"], position=3)
    link(live, hidden["trashed"], position=4)
    return SimpleNamespace(section=section, author=author, tag=tag, live=live, hidden=hidden)


# The demo newsroom ----------------------------------------------------------------------------


def _stored_models():
    """Every model with a table of its own, each after the models it points to: rows load in
    that order (the search index's triggers read an article's tags as they are attached)."""
    waiting = [model for model in apps.get_models() if model._meta.can_migrate(connection)]
    ordered = []
    while waiting:
        ready = [
            model
            for model in waiting
            if not any(
                field.related_model in waiting and field.related_model is not model
                for field in model._meta.get_fields()
                if field.is_relation and not field.auto_created
            )
        ]
        ordered += ready or waiting  # a cycle loads as it comes: constraints wait for commit
        waiting = [model for model in waiting if model not in ordered]
    return ordered


@pytest.fixture(scope="session", autouse=True)
def demo_seed(request, tmp_path_factory, quick_password_hashing):
    """`seed_demo`, run once per test database (it takes seconds: images and renditions), if a
    test of this run asks for `demo_newsroom`.

    It runs before the first test, while the database is as the migrations left it, inside a
    transaction that is then rolled back: no test finds the demo unless it asks. What it wrote
    is kept as serialised rows, its files in a folder of their own.
    """
    if not any(
        "demo_newsroom" in getattr(item, "fixturenames", ()) for item in request.session.items
    ):
        return None
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    media = tmp_path_factory.mktemp("demo-media")
    output = StringIO()
    with blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        models = _stored_models()
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        call_command("seed_demo", stdout=output)
        # Roles, permissions and content types by name: a transactional test's flush makes
        # them again, with other ids.
        rows = serializers.serialize(
            "json",
            (row for model in models for row in model._base_manager.exclude(pk__in=before[model])),
            use_natural_foreign_keys=True,
        )
        transaction.set_rollback(True)
    return SimpleNamespace(rows=rows, media=media, output=output.getvalue())


@pytest.fixture
def demo_newsroom(demo_seed, settings):
    """The demo newsroom in this test's database and its images in this test's media folder,
    exactly as `seed_demo` left them; `.output` is what the command printed."""
    shutil.copytree(demo_seed.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    with transaction.atomic():
        for row in serializers.deserialize("json", demo_seed.rows):
            row.save()
    return SimpleNamespace(output=demo_seed.output)
