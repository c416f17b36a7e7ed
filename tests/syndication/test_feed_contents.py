"""Feed entries' contents are rendered once and reused by every feed the article is in, and are
never stale: the key holds everything the content shows."""

import pytest
from django.core.cache import caches

from articles.models import Article, BodyImage
from articles.syndication import contents
from articles.syndication.feeds import feed_path
from tests.factories import image_upload, link, make_article, make_section

from .reading import KINDS, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """The articles whose content was rendered, in order."""
    rendered = []
    real = contents.render

    def spy(article, link):
        rendered.append(article.headline)
        return real(article, link)

    monkeypatch.setattr(contents, "render", spy)
    return rendered


def content_of(client, path, headline):
    feed = parse(client.get(path))
    (entry,) = [entry for entry in feed.entries if entry.title == headline]
    return entry.content[0].value


def test_an_entry_is_rendered_once_for_every_feed_it_is_in(client, renders):
    section = make_section()
    make_article("Battery story", section=section)
    make_article("Chip story", section=section)
    for kind in KINDS:
        assert client.get(feed_path(None, kind)).status_code == 200
        assert client.get(feed_path(section, kind)).status_code == 200
    assert sorted(renders) == ["Battery story", "Chip story"]
    make_article("Third story", section=section)  # a write elsewhere: the others are kept
    client.get(feed_path(section, "atom"))
    assert sorted(renders) == ["Battery story", "Chip story", "Third story"]


def test_what_the_content_shows_of_other_rows_is_never_stale(client):
    image = BodyImage.objects.create(file=image_upload(), alt="Two cranes")
    target = make_article("Old target headline")
    story = make_article("Harbour story", body=f"<p>First.</p>{image.marker}<p>Last.</p>")
    link(story, target, after=1)
    path = feed_path(None, "atom")
    first = content_of(client, path, "Harbour story")
    assert "Old target headline" in first and "Two cranes" in first

    Article.objects.filter(pk=target.pk).update(headline="New target headline")
    BodyImage.objects.filter(pk=image.pk).update(alt="Three cranes")
    changed = content_of(client, path, "Harbour story")
    assert "New target headline" in changed and "Three cranes" in changed

    Article.objects.filter(pk=target.pk).update(status=Article.Status.DRAFT)
    assert "New target headline" not in content_of(client, path, "Harbour story")


def test_a_failing_cache_means_rendering(client, monkeypatch, renders):
    def fail(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(caches["default"], "get_many", fail)
    monkeypatch.setattr(caches["default"], "set_many", fail)
    make_article("Battery story", body="<p>Cells.</p>")
    for _ in range(2):
        assert "Cells." in content_of(client, feed_path(None, "rss"), "Battery story")
    assert renders == ["Battery story", "Battery story"]


def test_nothing_is_kept_when_the_duration_is_zero(client, settings, renders):
    settings.FRAGMENT_CACHE_SECONDS = 0
    make_article("Battery story")
    for _ in range(2):
        client.get(feed_path(None, "json"))
    assert renders == ["Battery story", "Battery story"]
