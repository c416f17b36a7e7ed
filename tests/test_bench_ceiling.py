"""The benchmark's ceiling, /_bench/ceiling/, exists only when BENCH_CEILING turns it on."""

import importlib

import pytest
from django.urls import clear_url_caches

import newsroom.urls

CEILING = "/_bench/ceiling/"


@pytest.fixture
def urls_with(settings):
    """Reload the root URLconf under a value of BENCH_CEILING; as it was afterwards."""

    def reload(enabled):
        settings.BENCH_CEILING = enabled
        importlib.reload(newsroom.urls)
        clear_url_caches()

    yield reload
    settings.BENCH_CEILING = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_ceiling_is_absent_by_default(client, settings):
    assert settings.BENCH_CEILING is False
    assert client.get(CEILING).status_code == 404


@pytest.mark.django_db
def test_ceiling_answers_only_when_enabled(client, urls_with):
    urls_with(True)
    response = client.get(CEILING)
    assert response.status_code == 200
    assert response.content == b"ceiling\n"
    assert "public" not in response.get("Cache-Control", "")  # the page cache never keeps it
    urls_with(False)
    assert client.get(CEILING).status_code == 404
