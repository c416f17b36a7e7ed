"""Fixtures every room's tests share: the people at the desk, the visibility twins and a query
counter."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import link, make_article, make_author, make_section, make_tag


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads from a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (sitemaps are cached, for one)."""
    cache.clear()


# Counting queries -----------------------------------------------------------------------------


@pytest.fixture
def query_count(client):
    """`query_count(url, data)`: how many queries the test client's GET of a page makes.

    The page must answer 200: an error page's count proves nothing.
    """

    def count(url, data=None, **headers):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data, **headers)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    return count


# The people at the desk -----------------------------------------------------------------------


def staff_member(username, role):
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor():
    return staff_member("edna", "Editor")


@pytest.fixture
def writer():
    return staff_member("walt", "Writer")


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
    unpublished. All share the live story's section, author and tag, and the live story's SEE
    ALSO links point at three of them, so every page that lists or links the live story is a
    place a twin could leak into."""
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
    hidden["unpublished"].unpublish()
    link(live, hidden["draft"], after=1, position=0)
    link(live, hidden["scheduled"], position=1)
    link(live, hidden["unpublished"], position=2)
    return SimpleNamespace(section=section, author=author, tag=tag, live=live, hidden=hidden)
