"""The desk's workflow through the real admin: every button saves the form first; scheduling,
take-down times and the trash; notifications, the audit log, the dashboard; conflicts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.desk.models import Notification
from articles.desk.roles import ROLES, ensure_roles
from articles.models import Article
from tests.desk.test_admin import article_data, change_url, form_errors, messages_of, run_action
from tests.factories import image_upload, link, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(writer):
    """A draft by the writer, with a byline linked to the writer's account."""
    author = make_author("Walt Writer", user=writer)
    return make_article("Battery swap stations pass 3,000", live=False, authors=[author])


def press(client, article, button, **fields):
    """Post the change form with the article's values, `fields` changed, and `button` pressed."""
    data = article_data(article, **fields)
    if button:
        data["_workflow"] = button
    return client.post(change_url(article), data)


# Every button saves what is in the form first -------------------------------------------------


@pytest.mark.parametrize(
    ("button", "who", "expected_status"),
    [
        ("submit", "writer", Article.Status.IN_REVIEW),
        ("publish", "editor", Article.Status.PUBLISHED),
        ("schedule", "editor", Article.Status.PUBLISHED),
        (None, "writer", Article.Status.DRAFT),
    ],
)
def test_every_button_saves_the_form_first(
    request, story, button, who, expected_status, editor, writer
):
    client = request.getfixturevalue(f"{who}_client")
    fields = {"dek": "A new dek typed just now."}
    if button == "schedule":
        fields["published_at"] = timezone.now() + timedelta(days=1)

    response = press(client, story, button, **fields)

    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.dek == "A new dek typed just now."
    assert story.status == expected_status
    assert story.is_public == (button == "publish")
    assert story.is_scheduled == (button == "schedule")
    assert story.revisions.first().data["dek"] == "A new dek typed just now."


def test_unpublishing_a_scheduled_story_saves_the_form_first(editor_client):
    scheduled = make_article("Coming soon", published_at=timezone.now() + timedelta(hours=2))
    response = press(editor_client, scheduled, "unpublish", headline="Coming soon, corrected")

    assert response.status_code == 302, form_errors(response)
    scheduled.refresh_from_db()
    assert (scheduled.headline, scheduled.status) == ("Coming soon, corrected", "draft")


def test_a_live_story_is_unpublished_from_its_page_by_an_editor_only(
    client, editor_client, writer_client
):
    live = make_article("Live story")
    unpublish = reverse("admin:article_unpublish", args=[live.pk])

    assert writer_client.post(unpublish).status_code == 403
    assert editor_client.get(unpublish).status_code == 403  # never on a GET
    assert client.get(live.get_absolute_url()).status_code == 200

    assert editor_client.post(unpublish).status_code == 302
    assert client.get(live.get_absolute_url()).status_code == 404


def test_a_refused_step_keeps_everything_typed(editor_client, story):
    response = press(
        editor_client, story, "schedule", dek="Typed, not saved", published_at=timezone.now()
    )

    assert response.status_code == 200
    assert "Choose a publish time in the future" in str(form_errors(response))
    assert response.context["adminform"].form["dek"].value() == "Typed, not saved"
    story.refresh_from_db()
    assert story.dek == "" and story.status == Article.Status.DRAFT


def test_publishing_needs_the_hero_image_alt_text(editor_client, story):
    story.hero_image = image_upload()
    story.hero_alt = "A station"
    story.save()

    response = press(editor_client, story, "publish", hero_alt="")

    assert response.status_code == 200
    assert not Article.objects.get(pk=story.pk).is_public


@pytest.mark.parametrize("button", ["publish", "schedule", "unpublish", "return"])
def test_a_writer_can_never_take_an_editors_step(writer_client, story, button):
    fields = {"published_at": timezone.now() + timedelta(days=1)}
    response = press(writer_client, story, button, **fields)

    assert response.status_code == 200
    assert "Only editors can" in str(form_errors(response))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_a_draft_with_a_future_time_is_explained_not_silently_kept(editor_client, story):
    response = press(editor_client, story, None, published_at=timezone.now() + timedelta(hours=3))

    assert response.status_code == 302
    assert any("not scheduled" in message for message in messages_of(response))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and not story.is_scheduled


def test_buttons_fit_the_role_and_the_state(writer_client, editor_client, story):
    def buttons(client, article):
        return [value for value, _ in client.get(change_url(article)).context["workflow_steps"]]

    assert buttons(writer_client, story) == ["save", "submit"]
    assert buttons(editor_client, story) == ["save", "submit", "schedule", "publish"]
    story.status = Article.Status.IN_REVIEW
    story.save()
    assert buttons(editor_client, story) == ["save", "return", "schedule", "publish"]
    live = make_article("Live one")
    assert buttons(editor_client, live) == ["save", "unpublish"]


# Sending back, notifications, the audit log ---------------------------------------------------


def test_submit_notifies_the_editors_and_return_notifies_the_writer(
    writer_client, editor_client, writer, editor, story, django_capture_on_commit_callbacks
):
    editor.email, writer.email = "edna@example.com", "walt@example.com"
    editor.save()
    writer.save()
    other_editor = make_staff("eddie", "Editor")

    with django_capture_on_commit_callbacks(execute=True):
        response = press(writer_client, story, "submit")
    assert response.status_code == 302

    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "edna",
        "eddie",
    }
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["edna@example.com"]
    assert "submitted" in mail.outbox[0].subject
    assert other_editor.desk_notifications.get().kind == Notification.Kind.SUBMITTED

    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = press(
            editor_client, story, "return", desk_note="Needs a second source for the figure."
        )
    assert response.status_code == 302, form_errors(response)

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    returned = writer.desk_notifications.get(kind=Notification.Kind.RETURNED)
    assert "Needs a second source" in returned.message
    assert story.revisions.first().note == "Needs a second source for the figure."
    assert mail.outbox[-1].to == ["walt@example.com"]


def test_publishing_notifies_the_writer_not_the_editor(writer_client, editor_client, writer, story):
    press(writer_client, story, None, dek="Saved by the writer")
    story.refresh_from_db()
    press(editor_client, story, "publish")

    assert writer.desk_notifications.filter(kind=Notification.Kind.PUBLISHED).count() == 1
    assert not Notification.objects.exclude(recipient=writer).exists()


def test_every_step_is_in_the_audit_log(editor_client, editor, story):
    press(editor_client, story, "publish")
    editor_client.post(reverse("admin:article_unpublish", args=[story.pk]))
    editor_client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})

    messages = list(
        LogEntry.objects.filter(object_id=str(story.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    )
    assert [m for m in messages if not m.startswith("[")] == [
        "Published",
        "Unpublished",
        "Moved to the trash",
    ]
    history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert "Moved to the trash" in history.content.decode()
    desk_log = editor_client.get(reverse("admin:admin_logentry_changelist"))
    assert desk_log.status_code == 200
    assert "Published" in desk_log.content.decode()


def test_writers_do_not_read_the_desk_log(writer_client):
    assert writer_client.get(reverse("admin:admin_logentry_changelist")).status_code == 403


# Take-down times ------------------------------------------------------------------------------


def test_an_article_stops_being_public_at_its_take_down_time(client):
    article = make_article("Short-lived", expires_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 200

    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert article.headline not in client.get(reverse("syndication:feed_rss")).content.decode()


def test_a_take_down_time_before_the_publish_time_is_refused(editor_client, story):
    response = press(
        editor_client,
        story,
        "schedule",
        published_at=timezone.now() + timedelta(days=2),
        expires_at=timezone.now() + timedelta(days=1),
    )

    assert response.status_code == 200
    assert "expires_at" in form_errors(response)


# The trash ------------------------------------------------------------------------------------


def test_trash_hides_everywhere_answers_410_and_restores(client, editor_client):
    target = make_article("Target story")
    citing = make_article("Citing story")
    link(citing, target, after=1)
    assert "Target story" in client.get(citing.get_absolute_url()).content.decode()

    editor_client.post(reverse("admin:articles_article_delete", args=[target.pk]), {"post": "yes"})

    target.refresh_from_db()
    assert target.trashed_at is not None
    assert client.get(target.get_absolute_url()).status_code == 410
    assert "Target story" not in client.get(citing.get_absolute_url()).content.decode()
    listed = editor_client.get(reverse("admin:articles_article_changelist"))
    assert target not in listed.context["cl"].result_list
    trash = editor_client.get(reverse("admin:articles_article_changelist"), {"state": "trashed"})
    assert list(trash.context["cl"].result_list) == [target]

    # From the trash's own list, as the editor sees it.
    run_action(editor_client, "restore_from_trash", target, state="trashed")

    target.refresh_from_db()
    assert target.trashed_at is None
    assert client.get(target.get_absolute_url()).status_code == 200
    assert "Target story" in client.get(citing.get_absolute_url()).content.decode()
    assert target.revisions.filter(action="Restored from the trash").exists()


def test_a_writer_cannot_restore_or_empty_the_trash(writer_client, story):
    Article.objects.filter(pk=story.pk).update(trashed_at=timezone.now())

    run_action(writer_client, "restore_from_trash", story, state="trashed")
    response = writer_client.post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.trashed_at is not None


def test_deleting_from_the_trash_deletes_for_good(editor_client, story):
    editor_client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    assert Article.objects.filter(pk=story.pk).exists()

    editor_client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})

    assert not Article.objects.filter(pk=story.pk).exists()
    assert LogEntry.objects.filter(object_id=str(story.pk), change_message="Deleted for good")


def test_purge_trash_deletes_only_what_is_older_than_its_days():
    old = make_article("Old trash", trashed_at=timezone.now() - timedelta(days=31))
    recent = make_article("Recent trash", trashed_at=timezone.now() - timedelta(days=29))
    kept = make_article("Not in the trash")
    out = StringIO()

    call_command("purge_trash", stdout=out)

    assert "Deleted 1 article(s)" in out.getvalue()
    assert set(Article.objects.all()) == {recent, kept}
    assert old.pk not in Article.objects.values_list("pk", flat=True)


# The dashboard --------------------------------------------------------------------------------


def test_the_dashboard_shows_each_role_its_work(
    writer_client, editor_client, story, django_assert_max_num_queries
):
    press(writer_client, story, "submit")
    scheduled = make_article("Coming tomorrow", published_at=timezone.now() + timedelta(days=1))

    with django_assert_max_num_queries(20):
        editor_page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Awaiting review" in editor_page and story.headline in editor_page
    assert "Scheduled next" in editor_page and scheduled.headline in editor_page
    assert "submitted “Battery swap stations pass 3,000” for review" in editor_page

    story.refresh_from_db()
    press(editor_client, story, "return", desk_note="More detail, please.")
    writer_page = writer_client.get(reverse("admin:index")).content.decode()
    assert "Awaiting review" not in writer_page
    assert "Sent back to me" in writer_page
    assert "More detail, please." in writer_page


# Conflicts ------------------------------------------------------------------------------------


def test_a_stale_save_names_who_saved_and_can_be_saved_on_purpose(editor, story):
    first, second = Client(), Client()
    other = make_staff("olga", "Editor")
    other.first_name, other.last_name = "Olga", "Ortiz"
    other.save()
    first.force_login(other)
    second.force_login(editor)
    stale = article_data(story, headline="Second editor's headline")

    assert first.post(change_url(story), article_data(story, dek="Olga's dek")).status_code == 302
    refused = second.post(change_url(story), stale)

    assert refused.status_code == 200
    errors = str(form_errors(refused))
    assert "Olga Ortiz saved this article at" in errors
    assert refused.context["adminform"].form["headline"].value() == "Second editor's headline"
    assert 'name="save_anyway"' in refused.content.decode()
    # What Olga changed is shown, as the revisions' compare page shows it.
    their_changes = refused.content.decode().split("What they changed", 1)[1]
    assert "Olga" in their_changes.split("</dl>", 1)[0]
    story.refresh_from_db()
    assert story.headline == "Battery swap stations pass 3,000"

    on_purpose = second.post(change_url(story), {**stale, "save_anyway": "on"})

    assert on_purpose.status_code == 302, form_errors(on_purpose)
    story.refresh_from_db()
    assert story.headline == "Second editor's headline"


# Roles ----------------------------------------------------------------------------------------


def test_roles_hold_exactly_their_permissions():
    writers = Group.objects.get(name="Writer")
    writers.permissions.add(Permission.objects.get(codename="publish_article"))

    ensure_roles()

    assert not writers.permissions.filter(codename="publish_article").exists()
    for role, models in ROLES.items():
        expected = sum(len(actions) for actions in models.values())
        assert Group.objects.get(name=role).permissions.count() == expected, role


# Changes to a live story ----------------------------------------------------------------------


def test_changes_to_a_live_story_wait_for_an_editor(client, writer_client, editor_client, writer):
    author = make_author("Walt Writer", user=writer)
    live = make_article("Battery swap stations pass 3,000", authors=[author], dek="Old dek")
    other = make_article("Another story")
    feed = reverse("syndication:feed_rss")

    # The live article's own form is read-only; "Edit" opens its draft of changes.
    page = editor_client.get(change_url(live))
    assert page.context["has_change_permission"] is False
    response = writer_client.post(reverse("admin:article_changes", args=[live.pk]))
    draft = Article.objects.get(draft_of=live)
    assert response["Location"] == change_url(draft)
    assert writer_client.post(reverse("admin:article_changes", args=[live.pk]))[
        "Location"
    ] == change_url(draft)  # the same draft, not a second one

    response = press(
        writer_client,
        draft,
        None,
        headline="Battery swap stations pass 3,500",
        dek="New dek",
        body=f'{draft.body}<div data-see-also="{other.pk}"></div>',  # a box in the text
    )
    assert response.status_code == 302, form_errors(response)

    # Readers see the live version everywhere; the desk lists the story as having changes.
    for url in [live.get_absolute_url(), "/", feed, "/search/?q=new+dek"]:
        body = client.get(url).content.decode()
        assert "3,500" not in body and "New dek" not in body, url
    listed = editor_client.get(reverse("admin:articles_article_changelist"))
    assert set(listed.context["cl"].result_list) == {other, live}
    assert "Live, with unpublished changes" in listed.content.decode()

    # A writer cannot publish them; an editor can.
    draft.refresh_from_db()
    refused = press(writer_client, draft, "publish_changes")
    assert refused.status_code == 200 and "Only editors" in str(form_errors(refused))
    draft.refresh_from_db()
    response = press(editor_client, draft, "publish_changes")
    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == change_url(live)

    live.refresh_from_db()
    assert (live.headline, live.dek) == ("Battery swap stations pass 3,500", "New dek")
    assert [link.target_article for link in live.related_links.all()] == [other]
    assert f'<div data-see-also="{other.pk}"></div>' in live.body
    assert live.byline == [author]
    assert not Article.objects.filter(draft_of__isnull=False).exists()
    assert "3,500" in client.get(live.get_absolute_url()).content.decode()
    actions = list(live.revisions.values_list("action", flat=True))
    assert actions[0] == "Published changes"
    assert "Draft of changes started" in actions  # the draft's history moved to the story


def test_discarding_changes_keeps_them_as_a_revision(editor_client):
    live = make_article("Live story", dek="Live dek")
    editor_client.post(reverse("admin:article_changes", args=[live.pk]))
    draft = Article.objects.get(draft_of=live)
    press(editor_client, draft, None, dek="A dek nobody wanted")
    draft.refresh_from_db()

    editor_client.post(reverse("admin:article_discard_changes", args=[draft.pk]))

    assert not Article.objects.filter(pk=draft.pk).exists()
    live.refresh_from_db()
    assert live.dek == "Live dek"
    assert live.revisions.filter(data__dek="A dek nobody wanted").exists()
