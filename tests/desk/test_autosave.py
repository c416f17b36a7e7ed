"""Nothing an editor types is lost: autosave drafts, the restore notice, and who else is editing,
through the server with the test client (the browser side is in test_autosave_browser.py)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.desk import presence
from articles.desk.autosave import MAX_BYTES
from articles.desk.models import AutosaveDraft
from articles.models import Article, Author, Byline, Revision
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

RESTORE_DATA_ID = "desk-autosave-data"


# Helpers and fixtures -----------------------------------------------------------------------


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article):
    return reverse("desk:autosave", args=[article.pk])


def autosave(client, article, **fields):
    """An autosave as the form's script sends it: the form's fields, URL-encoded."""
    data = {
        "csrfmiddlewaretoken": "not-kept",
        "headline": article.headline,
        "body": article.body,
        "edit_version": article.version,
        **fields,
    }
    return client.post(autosave_url(article), data)


def saved_form(article, **fields):
    """The change form posted back with Save, as the admin sends it."""
    bylines = list(article.bylines.all())
    revisions = list(article.revisions.all())
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "published_at_0": "",
        "published_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "edit_version": article.version,
        "_save": "Save",
    }
    for prefix, rows in (("bylines", bylines), ("related_links", []), ("revisions", revisions)):
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    for number, line in enumerate(bylines):
        data |= {
            f"bylines-{number}-id": line.pk,
            f"bylines-{number}-article": article.pk,
            f"bylines-{number}-author": line.author_id,
            f"bylines-{number}-position": line.position,
        }
    for number, revision in enumerate(revisions):
        data |= {f"revisions-{number}-id": revision.pk, f"revisions-{number}-article": article.pk}
    return data | fields


@pytest.fixture
def editor():
    """An editor with a full name (presence notices show it), in place of the shared one."""
    return make_staff("edna", "Editor", first_name="Edna", last_name="Marsh")


@pytest.fixture
def second_editor():
    return make_staff("omar", "Editor", first_name="Omar", last_name="Diallo")


@pytest.fixture
def author():
    return Author.objects.create(name="Li Wei", slug="li-wei")


def make(headline, author, *, live=False):
    fields = {"status": Article.Status.PUBLISHED, "published_at": timezone.now()} if live else {}
    article = Article.objects.create(
        headline=headline,
        slug=headline.lower().replace(" ", "-"),
        body="<p>As filed.</p>",
        **fields,
    )
    Byline.objects.create(article=article, author=author)
    return article


@pytest.fixture
def draft(author):
    return make("Sodium cells arrive", author)


@pytest.fixture
def published(author):
    """Published and going live tomorrow: editors edit it in place, writers only view it (a
    story already live is changed through its draft of changes)."""
    article = make("Swap stations pass 3000", author, live=True)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() + timedelta(days=1))
    article.refresh_from_db()
    return article


# Autosave round trip ------------------------------------------------------------------------


def test_autosave_keeps_the_form_as_the_editors_draft_and_nothing_else(editor, draft):
    client = logged_in(editor)
    revisions = Revision.objects.count()
    response = autosave(client, draft, headline="Sodium cells arrive early", tags=["3", "5"])
    assert response.status_code == 200
    saved = AutosaveDraft.objects.get(article=draft, user=editor)
    assert response.json()["time"] == f"{timezone.localtime(saved.saved_at):%H:%M}"
    assert saved.data == {
        "headline": ["Sodium cells arrive early"],
        "body": ["<p>As filed.</p>"],
        "edit_version": [str(draft.version)],
        "tags": ["3", "5"],
    }
    assert saved.base_version == draft.version
    # Never the live article, never a revision.
    fresh = Article.objects.get(pk=draft.pk)
    assert (fresh.headline, fresh.version) == ("Sodium cells arrive", draft.version)
    assert Revision.objects.count() == revisions


def test_a_second_autosave_replaces_the_first(editor, draft):
    client = logged_in(editor)
    autosave(client, draft, headline="First try")
    first = AutosaveDraft.objects.get()
    autosave(client, draft, headline="Second try")
    second = AutosaveDraft.objects.get()
    assert second.pk == first.pk
    assert second.data["headline"] == ["Second try"]
    assert second.saved_at >= first.saved_at


def test_each_editor_has_a_draft_of_their_own(editor, second_editor, draft):
    autosave(logged_in(editor), draft, headline="Edna's")
    autosave(logged_in(second_editor), draft, headline="Omar's")
    drafts = AutosaveDraft.objects.filter(article=draft)
    assert {d.user_id: d.data["headline"] for d in drafts} == {
        editor.pk: ["Edna's"],
        second_editor.pk: ["Omar's"],
    }


def test_saving_the_form_deletes_the_editors_draft_and_no_one_elses(editor, second_editor, draft):
    client = logged_in(editor)
    autosave(client, draft, headline="Sodium cells arrive early")
    autosave(logged_in(second_editor), draft, headline="Omar's version")
    response = client.post(change_url(draft), saved_form(draft, headline="Early sodium cells"))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Article.objects.get(pk=draft.pk).headline == "Early sodium cells"
    assert list(AutosaveDraft.objects.values_list("user", flat=True)) == [second_editor.pk]


def test_a_refused_save_keeps_the_draft_and_does_not_offer_it_over_the_form(editor, draft):
    client = logged_in(editor)
    autosave(client, draft, headline="Mine")
    response = client.post(change_url(draft), saved_form(draft, headline=""))
    assert response.status_code == 200  # the form again, with its error and what was typed
    assert AutosaveDraft.objects.filter(user=editor).exists()
    assertNotContains(response, "unsaved changes")
    assertContains(response, f'data-autosave-url="{autosave_url(draft)}"')


def test_discard_deletes_the_editors_draft(editor, second_editor, draft):
    client = logged_in(editor)
    autosave(client, draft, headline="Not wanted")
    autosave(logged_in(second_editor), draft, headline="Omar's version")
    response = client.post(reverse("desk:autosave-discard", args=[draft.pk]))
    assert response.status_code == 200
    assert list(AutosaveDraft.objects.values_list("user", flat=True)) == [second_editor.pk]


# Who may autosave ---------------------------------------------------------------------------

ENDPOINTS = ["desk:autosave", "desk:autosave-discard", "desk:presence"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_and_non_staff_get_not_found(client, endpoint, draft):
    url = reverse(endpoint, args=[draft.pk])
    data = {"headline": "x", "edit_version": draft.version}
    assert client.post(url, data).status_code == 404
    client.force_login(User.objects.create_user("reader"))
    assert client.post(url, data).status_code == 404
    assert not AutosaveDraft.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_writer_cannot_touch_published_work(writer, endpoint, published):
    client = logged_in(writer)
    response = client.post(reverse(endpoint, args=[published.pk]), {"edit_version": 1})
    assert response.status_code == 403
    assert not AutosaveDraft.objects.exists()


def test_a_writer_autosaves_a_draft(writer, draft):
    assert autosave(logged_in(writer), draft, headline="Writer's").status_code == 200
    assert AutosaveDraft.objects.get().user == writer


def test_staff_without_article_permissions_are_refused(draft):
    user = User.objects.create_user("intern", is_staff=True)
    assert autosave(logged_in(user), draft).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_such_article_and_wrong_method(editor, endpoint, draft):
    client = logged_in(editor)
    assert client.post(reverse(endpoint, args=[draft.pk + 100])).status_code == 404
    assert client.get(reverse(endpoint, args=[draft.pk])).status_code == 405


def test_discard_only_ever_deletes_ones_own_draft(editor, second_editor, draft):
    autosave(logged_in(second_editor), draft, headline="Omar's version")
    logged_in(editor).post(reverse("desk:autosave-discard", args=[draft.pk]))
    assert AutosaveDraft.objects.get().user == second_editor


# Bad input ----------------------------------------------------------------------------------


def test_an_autosave_over_the_size_cap_is_refused(editor, draft):
    client = logged_in(editor)
    response = autosave(client, draft, body="<p>" + "x" * MAX_BYTES + "</p>")
    assert response.status_code == 413
    assert not AutosaveDraft.objects.exists()
    # Just under the cap is kept.
    assert autosave(client, draft, body="x" * (MAX_BYTES - 1000)).status_code == 200


@pytest.mark.parametrize("version", ["", "seven", "0", "-1", "99"])
def test_an_autosave_with_a_wrong_version_is_refused(editor, draft, version):
    response = autosave(logged_in(editor), draft, edit_version=version)
    assert response.status_code == 400
    assert not AutosaveDraft.objects.exists()


def test_an_autosave_without_a_version_is_refused(editor, draft):
    response = logged_in(editor).post(autosave_url(draft), {"headline": "x"})
    assert response.status_code == 400


def test_files_are_not_kept(editor, draft):
    from tests.factories import image_upload

    autosave(logged_in(editor), draft, hero_image=image_upload())
    assert "hero_image" not in AutosaveDraft.objects.get().data


# The restore notice -------------------------------------------------------------------------


def keep_draft(article, user, saved_at, **data):
    return AutosaveDraft.objects.create(
        article=article,
        user=user,
        data={"headline": ["Kept headline"], "edit_version": [str(article.version)], **data},
        base_version=article.version,
        saved_at=saved_at,
    )


def test_the_change_form_offers_the_editors_draft_at_its_local_time(settings, editor, draft):
    settings.TIME_ZONE = "Asia/Shanghai"
    keep_draft(draft, editor, datetime(2026, 3, 14, 2, 42, tzinfo=UTC))
    response = logged_in(editor).get(change_url(draft))
    assertContains(response, "You have unsaved changes from 10:42 on Mar 14")
    assertNotContains(response, "someone saved since")
    # Restore and Discard wait for the script; without it the note stays plain text.
    assertContains(
        response,
        '<span data-autosave-actions hidden>: <button type="button" class="button" '
        "data-autosave-restore>Restore</button> / "
        '<button type="button" class="button" data-autosave-discard>Discard</button></span>',
        html=True,
    )
    assertContains(response, f'<script id="{RESTORE_DATA_ID}" type="application/json">')
    assertContains(response, "Kept headline")


def test_todays_draft_shows_the_time_alone(editor, draft):
    now = timezone.now()
    keep_draft(draft, editor, now)
    response = logged_in(editor).get(change_url(draft))
    assertContains(response, f"You have unsaved changes from {timezone.localtime(now):%H:%M}<")


def test_the_notice_says_when_someone_saved_since(editor, draft):
    keep_draft(draft, editor, timezone.now())
    draft.save()  # someone else's save: the version moves on
    response = logged_in(editor).get(change_url(draft))
    assertContains(response, "(someone saved since)")


def test_the_draft_data_is_escaped_in_the_page(editor, draft):
    keep_draft(draft, editor, timezone.now(), body=["</script><script>alert(1)</script>"])
    response = logged_in(editor).get(change_url(draft))
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)")


def test_another_users_draft_is_never_shown(editor, second_editor, draft):
    keep_draft(draft, second_editor, timezone.now())
    response = logged_in(editor).get(change_url(draft))
    assertNotContains(response, "unsaved changes")
    assertNotContains(response, RESTORE_DATA_ID)
    assertNotContains(response, "Kept headline")


def test_no_notice_without_a_draft_and_the_script_is_loaded_with_the_nonce(editor, draft):
    response = logged_in(editor).get(change_url(draft))
    assertNotContains(response, "unsaved changes")
    assertContains(response, f'data-autosave-url="{autosave_url(draft)}"')
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    assertContains(response, f'<script src="/static/desk/autosave.js" nonce="{nonce}">')


def test_a_view_only_user_gets_no_autosave(writer, published):
    keep_draft(published, writer, timezone.now())
    response = logged_in(writer).get(change_url(published))
    assert response.status_code == 200
    assertNotContains(response, "unsaved changes")
    assertNotContains(response, "data-autosave-url")


def test_the_add_form_has_no_autosave(editor):
    response = logged_in(editor).get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    assertNotContains(response, 'id="desk-editing"')


# Who else is editing ------------------------------------------------------------------------


def presence_notice(name, since):
    return f'<li class="info">{name} is editing since {since:%H:%M}</li>'


def opened_at(user, article):
    """When `user` was recorded as having the form open."""
    return timezone.localtime(cache.get(presence.cache_key(article))[user.pk][1])


def test_a_second_editor_sees_who_is_editing(editor, second_editor, draft):
    logged_in(editor).get(change_url(draft))
    since = opened_at(editor, draft)
    response = logged_in(second_editor).get(change_url(draft))
    assertContains(response, presence_notice("Edna Marsh", since), html=True)
    # Edna, reloading, sees Omar and not herself; she is still there since she first came.
    response = logged_in(editor).get(change_url(draft))
    assertContains(response, "Omar Diallo is editing since")
    assertNotContains(response, "Edna Marsh is editing")
    assert opened_at(editor, draft) == since


def test_presence_is_per_article(editor, second_editor, draft, published):
    logged_in(editor).get(change_url(draft))
    response = logged_in(second_editor).get(change_url(published))
    assertNotContains(response, "is editing since")


def test_a_view_only_user_sees_who_is_editing_but_is_not_listed(editor, writer, published):
    logged_in(editor).get(change_url(published))
    response = logged_in(writer).get(change_url(published))
    assertContains(response, "Edna Marsh is editing since")
    assert writer.pk not in cache.get(presence.cache_key(published))


def age_presence(user, article, seconds):
    """Make `user`'s last heartbeat on `article` `seconds` old."""
    key = presence.cache_key(article)
    entries = cache.get(key)
    name, since, _ = entries[user.pk]
    entries[user.pk] = (name, since, timezone.now() - timedelta(seconds=seconds))
    cache.set(key, entries)


def test_presence_expires_without_heartbeats(editor, second_editor, draft):
    logged_in(editor).get(change_url(draft))
    other = logged_in(second_editor)
    age_presence(editor, draft, presence.EXPIRY_SECONDS - 10)
    assertContains(other.get(change_url(draft)), "Edna Marsh is editing since")
    age_presence(editor, draft, presence.EXPIRY_SECONDS + 1)
    assertNotContains(other.get(change_url(draft)), "is editing since")
    # The stale entry is dropped at the next write.
    assert editor.pk not in cache.get(presence.cache_key(draft))


def test_the_heartbeat_keeps_an_editor_present_and_names_the_others(editor, second_editor, draft):
    edna = logged_in(editor)
    edna.get(change_url(draft))
    age_presence(editor, draft, presence.EXPIRY_SECONDS - 5)
    since = opened_at(editor, draft)
    response = edna.post(reverse("desk:presence", args=[draft.pk]))
    assert response.json() == {"others": []}
    response = logged_in(second_editor).post(reverse("desk:presence", args=[draft.pk]))
    assert response.json() == {"others": [{"name": "Edna Marsh", "since": f"{since:%H:%M}"}]}
    # The heartbeat renewed Edna's entry: ageing the old one out no longer hides her.
    _, _, last_seen = cache.get(presence.cache_key(draft))[editor.pk]
    assert timezone.now() - last_seen < timedelta(seconds=presence.EXPIRY_SECONDS - 5)


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
}


def test_a_cache_that_is_down_means_no_presence_and_no_error(settings, editor, draft):
    settings.CACHES = UNREACHABLE_CACHE
    client = logged_in(editor)
    response = client.get(change_url(draft))
    assert response.status_code == 200
    assertNotContains(response, "is editing since")
    response = client.post(reverse("desk:presence", args=[draft.pk]))
    assert response.json() == {"others": []}
