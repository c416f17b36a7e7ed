"""Odd input to the importer and on reader URLs: an error line or a 404, never a 500, and
nothing leaked."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_tag, run_import

pytestmark = pytest.mark.django_db


def test_tags_and_authors_of_drafts_only_are_not_shown(client):
    secret_tag, secret_author = make_tag("Embargoed deal"), make_author("New hire")
    make_article("Secret", live=False, tags=[secret_tag], authors=[secret_author])
    for url in (
        secret_tag.get_absolute_url(),
        secret_author.get_absolute_url(),
        reverse("syndication:tag_feed_rss", args=[secret_tag.slug]),
        reverse("syndication:author_feed_json", args=[secret_author.slug]),
    ):
        assert client.get(url).status_code == 404, url
    make_article("Public now", tags=[secret_tag], authors=[secret_author])
    assert client.get(secret_tag.get_absolute_url()).status_code == 200


def test_import_refuses_a_huge_file_and_a_long_tag(tmp_path):
    (tmp_path / "huge.txt").write_text("Headline\n\n" + "word " * 300_000)
    out, err = run_import(tmp_path / "huge.txt")
    assert "too large for a story" in err and not Article.objects.exists()
    (tmp_path / "ok.txt").write_text("Headline\n\nText.")
    out, err = run_import(tmp_path / "ok.txt", "--tag", "x" * 150)
    assert "at most 100 characters" in err and not Article.objects.exists()


def test_import_says_when_a_story_names_itself(tmp_path):
    (tmp_path / "self.txt").write_text("Loop story\n\nText.\n\nSEE ALSO: LOOP STORY\n\nMore.")
    out, err = run_import(tmp_path)
    assert "names this story itself" in err
    assert "matches no article yet" not in err
