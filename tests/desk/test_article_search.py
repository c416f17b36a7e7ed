"""The article search behind the body editor's SEE ALSO chooser and link dialog, and what the
article form tells its editor."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.config import allowlist_from_extensions

from articles.desk import changes
from articles.models import BODY_EDITOR_EXTENSIONS, Article
from tests.factories import image_upload, make_article, make_staff

pytestmark = pytest.mark.django_db

SEARCH = reverse("desk:article-search")


def found(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def headlines(results):
    return [result["headline"] for result in results]


@pytest.fixture
def stories():
    """One story of each kind the chooser meets."""
    now = timezone.now()
    live = make_article("Zeekr Wagon Arrives in Europe")
    return {
        "live": live,
        "draft": make_article("Zeekr Recycling Plant Planned", live=False),
        "review": make_article(
            "Zeekr Plant Vote Delayed", live=False, status=Article.Status.IN_REVIEW
        ),
        "scheduled": make_article(
            "Zeekr Price Cut Next Week", published_at=now + timedelta(days=2)
        ),
        "expired": make_article(
            "Zeekr Old Promotion",
            published_at=now - timedelta(days=3),
            expires_at=now - timedelta(days=1),
        ),
        "trashed": make_article("Zeekr Trashed Story", trashed_at=now),
        "changes": changes.prepare(live, user=make_staff("cleo", "Editor")),
    }


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SEARCH, {"q": "zeekr"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_article_permissions_are_refused(client):
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(SEARCH, {"q": "zeekr"}).status_code == 403


def test_only_get(writer_client):
    assert writer_client.post(SEARCH, {"q": "zeekr"}).status_code == 405


def test_a_writer_finds_articles_in_every_state_but_the_trash_and_drafts_of_changes(
    writer_client, stories
):
    results = found(writer_client, q="zeekr")
    assert sorted(headlines(results)) == sorted(
        story.headline for name, story in stories.items() if name not in ("trashed", "changes")
    )
    by_id = {result["id"]: result for result in results}
    assert {name: by_id[stories[name].pk]["state"] for name in ("live", "draft", "review")} == {
        "live": "live",
        "draft": "draft",
        "review": "in review",
    }
    assert by_id[stories["scheduled"].pk]["state"] == "scheduled"
    assert by_id[stories["expired"].pk]["state"] == "taken down"
    assert by_id[stories["expired"].pk]["state_label"] == "Taken down"


def test_a_result_carries_what_the_editor_shows_and_stores(editor_client, stories):
    live, draft = stories["live"], stories["draft"]
    by_id = {result["id"]: result for result in found(editor_client, q="zeekr")}
    assert by_id[live.pk] == {
        "id": live.pk,
        "headline": live.headline,
        "state": "live",
        "state_label": "Live",
        "date": live.published_at.isoformat(),
        "url": live.get_absolute_url(),
    }
    # A draft that was never out has no address that lasts yet; it is dated by its last save.
    assert by_id[draft.pk]["url"] is None
    assert by_id[draft.pk]["date"] == Article.objects.get(pk=draft.pk).updated_at.isoformat()
    assert by_id[stories["scheduled"].pk]["url"] == stories["scheduled"].get_absolute_url()


def test_search_ignores_case_and_finds_by_number(editor_client, stories):
    live = stories["live"]
    assert headlines(found(editor_client, q="WAGON arrives")) == [live.headline]
    assert headlines(found(editor_client, q="  wagon   arrives ")) == [live.headline]
    assert found(editor_client, q=str(live.pk))[0]["id"] == live.pk
    assert found(editor_client, q=f"#{live.pk}")[0]["id"] == live.pk
    assert found(editor_client, q="no such headline") == []


def test_the_article_itself_and_those_already_placed_are_left_out(editor_client, stories):
    live, draft = stories["live"], stories["draft"]
    results = found(editor_client, q="zeekr", exclude=[live.pk, draft.pk, "junk", ""])
    assert sorted(headlines(results)) == sorted(
        stories[name].headline for name in ("review", "scheduled", "expired")
    )


def test_at_most_twenty_newest_work_first(editor_client):
    for number in range(25):
        make_article(f"Battery story {number:02}", live=False)
    results = found(editor_client, q="battery")
    assert len(results) == 20
    assert headlines(results)[0] == "Battery story 24"
    assert found(editor_client)[0]["headline"] == "Battery story 24"  # no query: the newest


def test_bad_queries_are_answered_not_refused(editor_client, stories):
    for query in ["", "%", "_", "'; drop table", "\x00", "zeekr" * 500, "🚗"]:
        assert isinstance(found(editor_client, q=query), list), query


def test_the_search_costs_the_same_queries_for_one_result_or_twenty(query_count, editor_client):
    make_article("Battery story")
    few = query_count(SEARCH, {"q": "battery"}, client=editor_client)
    for number in range(30):
        make_article(f"Battery story {number}", live=number % 2 == 0)
    assert query_count(SEARCH, {"q": "battery"}, client=editor_client) == few


def test_states_are_the_words_the_form_gives_each_box(editor_client, editor, stories):
    """The chooser marks a box with the state the form would show it with (data-state)."""
    shown = [name for name in stories if name not in ("trashed", "changes")]
    story = make_article("Boxes of every kind", live=False)
    story.body = "".join(f'<div data-see-also="{stories[name].pk}"></div>' for name in shown)
    story.save()
    form = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    body = form.context["adminform"].form["body"].value()
    markers = re.findall(r'<div data-see-also="(\d+)"[^>]*?(?: data-state="([^"]*)")?>', body)
    in_form = {int(pk): state or "live" for pk, state in markers}
    by_search = {result["id"]: result["state"] for result in found(editor_client, q="zeekr")}
    assert in_form == {pk: by_search[pk] for pk in in_form}
    assert by_search[stories["expired"].pk] == "taken down"
    assert len(in_form) == len(shown)


# The article form -------------------------------------------------------------------------


def editor_settings(response):
    found = re.search(
        r'<script id="desk-body-editor" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return found and found.group(1)


def test_the_form_tells_the_editor_where_to_search_and_what_never_to_offer(editor_client, stories):
    draft = stories["changes"]
    response = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    config = json.loads(editor_settings(response))
    assert config == {"searchUrl": SEARCH, "exclude": [draft.pk, stories["live"].pk]}
    add = editor_client.get(reverse("admin:articles_article_add"))
    assert json.loads(editor_settings(add)) == {"searchUrl": SEARCH, "exclude": []}
    # The body editor's modules and the import map of their shared one.
    for module in ["see_also.js", "link.js", "paste.js", "writing.js"]:
        assert f"/static/desk/{module}" in response.content.decode()
    assert '"newsroom-desk/dialogs": "/static/desk/dialogs.js"' in response.content.decode()


def test_the_form_shows_the_hero_image_small_with_its_alt_text(editor_client):
    article = make_article(
        "With a picture", live=False, hero_image=image_upload(), hero_alt="A van"
    )
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    thumbnail = f'<img class="desk-hero-thumb" src="{article.hero_image.url}" alt="A van">'
    assert thumbnail in response.content.decode()
    assert "Alt text: A van" in response.content.decode()


def test_the_editor_may_write_the_see_also_marker():
    allowed = allowlist_from_extensions(BODY_EDITOR_EXTENSIONS)
    assert allowed["attributes"]["div"] == {"data-see-also", "data-title", "data-state"}
    assert {"a", "h2", "h4", "ul", "ol", "blockquote"} <= allowed["tags"]
    assert "target" not in allowed["attributes"]["a"]
    assert allowed["url_schemes"] == {"http", "https", "mailto"}
