"""Preview of unsaved changes: what is in an article's change form, as readers would see it, in
a new tab, with nothing saved."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, RelatedLink, Revision
from tests.factories import link, make_article, make_author, make_section, make_staff, make_tag

pytestmark = pytest.mark.django_db

BANNER = "Preview of unsaved changes: nothing here is saved yet"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft():
    return make_article(
        "Sodium-ion cells reach the market",
        live=False,
        dek="Cheaper, heavier, safer.",
        body="<p>Stored first paragraph.</p><p>Stored second paragraph.</p>",
        section=make_section("Batteries"),
        authors=[make_author("Li Wei")],
        tags=[make_tag("Cells")],
    )


def preview_url(article):
    return reverse("desk:preview_unsaved", args=[article.pk])


def split_time(prefix, value):
    local = timezone.localtime(value) if value else None
    return {
        f"{prefix}_0": local.strftime("%Y-%m-%d") if local else "",
        f"{prefix}_1": local.strftime("%H:%M:%S") if local else "",
    }


def rows(prefix, existing, new=()):
    """An inline formset's management form and rows, as the change form posts them."""
    all_rows = [*existing, *new]
    data = {
        f"{prefix}-TOTAL_FORMS": len(all_rows),
        f"{prefix}-INITIAL_FORMS": len(existing),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(all_rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


def change_form(article, *, bylines=None, links=None, **fields):
    """What the article's change form posts: its stored values, then `fields` as typed.
    `bylines` and `links` replace the inline rows (lists of dicts)."""
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "hero_alt": article.hero_alt,
        "hero_caption": article.hero_caption,
        "hero_credit": article.hero_credit,
        **split_time("published_at", article.published_at),
        **split_time("expires_at", article.expires_at),
        "section": article.section_id or "",
        "tags": [tag.pk for tag in article.tags.all()],
        "new_tags": "",
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "edit_version": article.version,
        "desk_note": "",
    }
    if article.featured:
        data["featured"] = "on"
    data.update(fields)
    stored_bylines = [
        {"id": line.pk, "article": article.pk, "author": line.author_id, "position": line.position}
        for line in article.bylines.all()
    ]
    stored_links = [
        {
            "id": row.pk,
            "article": article.pk,
            "position": row.position,
            "target_article": row.target_article_id or "",
            "url": row.url,
            "title": row.title,
        }
        for row in article.related_links.not_placed_in(article.body)
    ]
    data |= rows("bylines", stored_bylines, bylines or [])
    data |= rows("related_links", stored_links, links or [])
    data |= rows("revisions", [])
    return data


def stored(article):
    """The article's row as the database has it."""
    return Article.objects.filter(pk=article.pk).values().get()


# What the preview shows ---------------------------------------------------------------------


def test_the_preview_shows_what_is_typed_and_saves_nothing(editor_client, draft):
    before = stored(draft)

    response = editor_client.post(
        preview_url(draft),
        change_form(draft, headline="Typed headline", body="<p>Typed paragraph.</p>"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Typed headline" in page and "Typed paragraph." in page
    assert draft.headline not in page and "Stored first paragraph." not in page
    assert "Cheaper, heavier, safer." in page and "Li Wei" in page and "Cells" in page
    assert BANNER in page
    assert stored(draft) == before
    assert not Revision.objects.exists()


def test_the_preview_is_never_kept_or_indexed(editor_client, draft):
    response = editor_client.post(preview_url(draft), change_form(draft))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_script_in_the_typed_body_is_removed(editor_client, draft):
    body = '<p onclick="steal()">Kept text.</p><script>alert("typed")</script>'

    response = editor_client.post(preview_url(draft), change_form(draft, body=body))

    page = response.content.decode()
    assert "Kept text." in page
    assert "<script" not in page and 'alert("typed")' not in page and "steal()" not in page


def test_typed_taxonomy_byline_and_links_are_shown(editor_client, draft):
    other_section = make_section("Charging")
    other_tag = make_tag("Grid storage")
    new_author = make_author("Zhang Min")
    target = make_article("Swap stations pass 3,000")

    response = editor_client.post(
        preview_url(draft),
        change_form(
            draft,
            section=other_section.pk,
            tags=[other_tag.pk],
            bylines=[{"author": new_author.pk, "position": 1}],
            links=[
                {"position": 0, "target_article": target.pk},
                {"position": 1, "url": "https://example.org/r", "title": "The full report"},
            ],
        ),
    )

    page = response.content.decode()
    assert other_section.get_absolute_url() in page
    assert other_tag.get_absolute_url() in page and "Cells" not in page
    assert "Li Wei" in page and "Zhang Min" in page
    assert target.get_absolute_url() in page and "The full report" in page
    assert list(draft.tags.all()) != [other_tag]
    assert list(draft.authors.all()) == [Byline.objects.get().author]
    assert not RelatedLink.objects.exists()


def test_a_removed_author_and_link_are_gone_from_the_preview(editor_client, draft):
    link(draft, url="https://example.org/old", title="An old report")
    data = change_form(draft, bylines=[{"author": make_author("Zhang Min").pk, "position": 1}])
    data |= {"bylines-0-DELETE": "on", "related_links-0-DELETE": "on"}

    response = editor_client.post(preview_url(draft), data)

    page = response.content.decode()
    assert "Zhang Min" in page
    assert "Li Wei" not in page and "An old report" not in page
    assert [line.author.name for line in draft.bylines.all()] == ["Li Wei"]
    assert RelatedLink.objects.filter(article=draft).count() == 1


def test_a_link_to_an_article_readers_cannot_see_is_not_shown(editor_client, draft):
    hidden = make_article("A draft elsewhere", live=False)

    response = editor_client.post(
        preview_url(draft),
        change_form(draft, links=[{"position": 0, "target_article": hidden.pk, "url": ""}]),
    )

    assert response.status_code == 200
    assert hidden.get_absolute_url() not in response.content.decode()


def test_invalid_rows_keep_the_stored_byline(editor_client, draft):
    response = editor_client.post(
        preview_url(draft), change_form(draft, bylines=[{"author": "not a number"}])
    )

    assert response.status_code == 200
    assert "Li Wei" in response.content.decode()


def test_an_invalid_field_keeps_its_stored_value_and_the_rest_is_shown(editor_client, draft):
    response = editor_client.post(
        preview_url(draft), change_form(draft, headline="", body="<p>Typed paragraph.</p>")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert draft.headline in page and "Typed paragraph." in page


def test_a_stale_form_still_previews_what_is_typed(editor_client, draft):
    Article.objects.filter(pk=draft.pk).update(version=draft.version + 1)

    response = editor_client.post(preview_url(draft), change_form(draft, headline="Mine"))

    assert response.status_code == 200
    assert "Mine" in response.content.decode()


def test_a_draft_of_changes_preview_says_readers_still_see_the_live_version(editor_client):
    from articles.desk import changes

    live = make_article("Battery swap stations pass 3,000")
    draft = changes.prepare(live, user=None)

    # The live article's own form is read-only: there is nothing unsaved to preview there.
    assert editor_client.post(preview_url(live), change_form(live)).status_code == 404
    response = editor_client.post(preview_url(draft), change_form(draft, headline="New headline"))

    page = response.content.decode()
    assert "New headline" in page
    assert "readers still see the live version" in page
    assert live.headline in Article.objects.public().values_list("headline", flat=True)


def test_an_uploaded_hero_image_is_not_stored_by_a_preview(editor_client, draft, settings):
    from tests.factories import image_upload

    data = change_form(draft, hero_alt="A cell")
    data["hero_image"] = image_upload()

    response = editor_client.post(preview_url(draft), data)

    assert response.status_code == 200
    assert "story__hero" not in response.content.decode()
    assert not (settings.MEDIA_ROOT / "heroes").exists()
    assert stored(draft)["hero_image"] == ""


# Who may preview ----------------------------------------------------------------------------


def test_anonymous_visitors_get_404(client, draft):
    assert client.post(preview_url(draft), change_form(draft)).status_code == 404


def test_staff_without_the_change_permission_get_404(draft):
    viewer = make_staff("vic")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))

    response = logged_in(viewer).post(preview_url(draft), change_form(draft, headline="Mine"))

    assert response.status_code == 404


def test_a_user_who_is_not_staff_gets_404_even_with_the_permission(draft):
    user = User.objects.create_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="change_article"))

    response = logged_in(user).post(preview_url(draft), change_form(draft))

    assert response.status_code == 404


def test_a_writer_previews_a_draft_but_not_a_published_article(writer_client, draft):
    live = make_article("Battery swap stations pass 3,000")
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))

    assert writer_client.post(preview_url(draft), change_form(draft)).status_code == 200
    for article in (live, scheduled):
        response = writer_client.post(preview_url(article), change_form(draft, headline="Mine"))
        assert response.status_code == 404, article


def test_an_unknown_article_is_404(editor_client, draft):
    url = reverse("desk:preview_unsaved", args=[draft.pk + 1000])

    assert editor_client.post(url, change_form(draft)).status_code == 404


def test_only_post_is_answered(editor_client, draft):
    assert editor_client.get(preview_url(draft)).status_code == 405


def test_a_preview_needs_the_forms_csrf_token(draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("edna", "Editor"))

    assert client.post(preview_url(draft), change_form(draft)).status_code == 403


# The button ---------------------------------------------------------------------------------


def test_the_change_form_has_a_preview_button_that_needs_no_script(editor_client, draft):
    response = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f'<button type="submit" formaction="{preview_url(draft)}" formmethod="post" '
        'formtarget="_blank" formnovalidate class="button">Preview changes</button>'
    ) in page
    # Enter in a field still saves: the form's first submit button is Save.
    form = page[page.index('id="article_form"') :]
    first_submit = re.search(r'<(input|button) type="submit"[^>]*>', form).group(0)
    assert first_submit == '<input type="submit" value="Save" class="default" name="_save">'


def test_the_add_form_has_no_preview_button(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))

    assert response.status_code == 200
    assert "Preview changes" not in response.content.decode()
