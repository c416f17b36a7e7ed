"""Share links: an unpublished article for someone without an account, until the link expires
or is revoked; made and revoked by editors in the desk, never by writers."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.desk.models import ShareLink
from articles.desk.share import share_token, share_url
from articles.models import Article
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:desk_sharelink_add")
CHANGELIST_URL = reverse("admin:desk_sharelink_changelist")
BANNER = "Shared preview: not published; this link expires"


@pytest.fixture
def draft():
    return make_article(
        "Sodium-ion cells reach the market",
        live=False,
        body="<p>The first cells ship in March.</p>",
        authors=[make_author("Li Wei")],
    )


@pytest.fixture
def link(draft, editor):
    return ShareLink.objects.create(article=draft, note="legal review", created_by=editor)


def path_of(link):
    return reverse("share:article", kwargs={"token": share_token(link)})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The shared page ----------------------------------------------------------------------------


def test_a_valid_link_shows_the_article_to_anyone(client, link, draft):
    response = client.get(path_of(link))

    assert response.status_code == 200
    assert response.context["article"] == draft
    assert not response.wsgi_request.user.is_authenticated
    page = response.content.decode()
    assert draft.headline in page
    assert "The first cells ship in March." in page
    assert "Li Wei" in page
    assert BANNER in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'property="og:' not in page and "application/ld+json" not in page


def test_the_shared_page_costs_the_same_queries_with_more_authors_and_tags(query_count, editor):
    def queries(authors, tags):
        article = make_article(
            live=False,
            authors=[make_author() for _ in range(authors)],
            tags=[make_tag() for _ in range(tags)],
        )
        link = ShareLink.objects.create(article=article, created_by=editor)
        return query_count(path_of(link))

    assert queries(authors=1, tags=1) == queries(authors=4, tags=5)


def test_a_valid_link_is_never_kept_or_indexed(client, link):
    response = client.get(path_of(link))

    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "no-cache" in cache_control
    assert "public" not in cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_address_is_absolute_and_carries_a_signed_key(link):
    url = share_url(link)

    assert url == f"https://news.example.com{path_of(link)}"
    token = share_token(link)
    assert token != link.key
    assert signing.Signer(salt="newsroom.share").unsign(token) == link.key
    assert path_of(link) == f"/share/{token}/"


def test_an_expired_link_is_not_found(client, link):
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert client.get(path_of(link)).status_code == 404


def test_a_revoked_link_is_not_found(client, link):
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    assert client.get(path_of(link)).status_code == 404


def test_a_link_to_a_trashed_article_is_not_found(client, link, draft):
    Article.objects.filter(pk=draft.pk).update(trashed_at=timezone.now())

    assert client.get(path_of(link)).status_code == 404


def test_a_link_works_again_when_its_article_leaves_the_trash(client, link, draft):
    Article.objects.filter(pk=draft.pk).update(trashed_at=timezone.now())
    Article.objects.filter(pk=draft.pk).update(trashed_at=None)

    assert client.get(path_of(link)).status_code == 200


def tampered(token, position):
    """`token` with the character at `position` replaced by another allowed one."""
    character = token[position]
    replacement = "A" if character != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


def test_a_tampered_token_is_not_found(client, link):
    token = share_token(link)
    separator = token.index(":")
    for position in (0, separator - 1, separator + 1, len(token) - 1):
        path = reverse("share:article", kwargs={"token": tampered(token, position)})
        assert client.get(path).status_code == 404, position


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda key: key, id="the bare key"),
        pytest.param(lambda key: signing.Signer(salt="other").sign(key), id="another salt"),
        pytest.param(lambda key: signing.Signer().sign(key), id="no salt"),
        pytest.param(lambda key: signing.dumps(key, salt="newsroom.share"), id="dumps"),
        pytest.param(
            lambda key: signing.Signer(salt="newsroom.share").sign("not-a-key"), id="unknown key"
        ),
    ],
)
def test_a_token_not_signed_for_share_links_is_not_found(client, link, token):
    path = reverse("share:article", kwargs={"token": token(link.key)})

    assert client.get(path).status_code == 404


def test_a_link_to_an_article_published_since_leads_to_its_page(client, link, draft):
    draft.publish()

    response = client.get(path_of(link))

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


# Made and revoked in the desk ---------------------------------------------------------------


def test_an_editor_makes_a_link_for_the_default_time(editor_client, editor, draft, client):
    before = timezone.now()
    response = editor_client.post(ADD_URL, {"article": draft.pk, "note": "legal", "hours": ""})
    after = timezone.now()

    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert (link.article, link.note, link.created_by) == (draft, "legal", editor)
    assert before + timedelta(hours=48) <= link.expires_at <= after + timedelta(hours=48)
    assert any(share_url(link) in message for message in messages_of(response))
    assert client.get(path_of(link)).status_code == 200


def test_an_editor_chooses_how_long_a_link_works(editor_client, draft):
    before = timezone.now()
    editor_client.post(ADD_URL, {"article": draft.pk, "note": "", "hours": "2"})
    after = timezone.now()

    link = ShareLink.objects.get()
    assert before + timedelta(hours=2) <= link.expires_at <= after + timedelta(hours=2)


def test_the_default_time_is_a_setting(editor_client, draft, settings):
    settings.SHARE_LINK_HOURS = 5
    before = timezone.now()
    editor_client.post(ADD_URL, {"article": draft.pk, "note": "", "hours": ""})
    after = timezone.now()

    link = ShareLink.objects.get()
    assert before + timedelta(hours=5) <= link.expires_at <= after + timedelta(hours=5)


@pytest.mark.parametrize("hours", ["0", "-3", "721", "two", "1.5"])
def test_a_bad_number_of_hours_is_refused(editor_client, draft, hours):
    response = editor_client.post(ADD_URL, {"article": draft.pk, "note": "", "hours": hours})

    assert response.status_code == 200
    assert "hours" in response.context["adminform"].form.errors
    assert not ShareLink.objects.exists()


def test_a_link_for_a_public_article_is_refused(editor_client):
    live = make_article("Battery swap stations pass 3,000")

    response = editor_client.post(ADD_URL, {"article": live.pk, "note": "", "hours": ""})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "public already" in str(errors["article"])
    assert not ShareLink.objects.exists()


def test_a_link_for_a_trashed_article_is_refused(editor_client, draft):
    Article.objects.filter(pk=draft.pk).update(trashed_at=timezone.now())

    response = editor_client.post(ADD_URL, {"article": draft.pk, "note": "", "hours": ""})

    assert response.status_code == 200
    assert "in the trash" in str(response.context["adminform"].form.errors["article"])
    assert not ShareLink.objects.exists()


def test_scheduled_and_unpublished_articles_may_be_shared(editor_client):
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    taken_down = make_article(expires_at=timezone.now() - timedelta(seconds=1))
    for article in (scheduled, taken_down):
        response = editor_client.post(ADD_URL, {"article": article.pk, "note": "", "hours": ""})
        assert response.status_code == 302, article
    assert ShareLink.objects.count() == 2


def test_an_editor_revokes_links(editor_client, link, draft, editor, client):
    other = ShareLink.objects.create(article=draft, created_by=editor)

    response = editor_client.post(
        CHANGELIST_URL, {"action": "revoke", "_selected_action": [link.pk], "index": 0}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    other.refresh_from_db()
    assert link.revoked_at is not None and other.revoked_at is None
    assert client.get(path_of(link)).status_code == 404
    assert client.get(path_of(other)).status_code == 200


def test_revoke_is_offered_on_the_link_itself(editor_client, link):
    change_url = reverse("admin:desk_sharelink_change", args=[link.pk])

    page = editor_client.get(change_url)
    assert page.status_code == 200
    assert share_url(link) in page.content.decode()

    response = editor_client.post(
        change_url, {"CHANGE_FORM-action": "revoke", "_selected_action": [link.pk]}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_list_shows_each_links_state_and_address(editor_client, link, draft, editor):
    expired = ShareLink.objects.create(
        article=draft, created_by=editor, expires_at=timezone.now() - timedelta(hours=1)
    )
    revoked = ShareLink.objects.create(article=draft, created_by=editor, revoked_at=timezone.now())

    response = editor_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    rows = {
        number: re.search(rf'value="{number}".*?</tr>', page, re.S).group(0)
        for number in (link.pk, expired.pk, revoked.pk)
    }
    assert "Valid" in rows[link.pk] and share_url(link) in rows[link.pk]
    assert "legal review" in rows[link.pk] and "edna" in rows[link.pk]
    assert "Expired" in rows[expired.pk] and share_url(expired) not in rows[expired.pk]
    assert "Revoked" in rows[revoked.pk] and share_url(revoked) not in rows[revoked.pk]


@pytest.mark.parametrize(
    ("state", "expected"), [("valid", "link"), ("expired", "expired"), ("revoked", "revoked")]
)
def test_the_list_filters_by_state(editor_client, link, draft, editor, state, expected):
    links = {
        "link": link,
        "expired": ShareLink.objects.create(
            article=draft, expires_at=timezone.now() - timedelta(hours=1)
        ),
        "revoked": ShareLink.objects.create(article=draft, revoked_at=timezone.now()),
    }

    response = editor_client.get(CHANGELIST_URL, {"state": state})

    assert list(response.context["cl"].result_list) == [links[expected]]


def test_the_list_costs_the_same_queries_for_one_link_or_many(
    query_count, editor_client, link, editor
):
    def queries():
        return query_count(CHANGELIST_URL, client=editor_client)

    few = queries()
    for number in range(5):
        article = make_article(f"Draft {number}", live=False)
        ShareLink.objects.create(article=article, created_by=editor)
    assert queries() == few


# Writers have no part in it -----------------------------------------------------------------


def test_a_writer_cannot_list_or_open_share_links(writer_client, link):
    for url in (
        CHANGELIST_URL,
        ADD_URL,
        reverse("admin:desk_sharelink_change", args=[link.pk]),
    ):
        assert writer_client.get(url).status_code == 403, url


def test_a_writer_cannot_make_a_share_link(writer_client, draft):
    response = writer_client.post(ADD_URL, {"article": draft.pk, "note": "", "hours": "700"})

    assert response.status_code == 403
    assert not ShareLink.objects.exists()


def test_a_writer_cannot_revoke_or_change_a_share_link(writer_client, link):
    revoke = writer_client.post(
        CHANGELIST_URL, {"action": "revoke", "_selected_action": [link.pk], "index": 0}
    )
    change = writer_client.post(
        reverse("admin:desk_sharelink_change", args=[link.pk]), {"note": "mine now"}
    )

    assert revoke.status_code == 403 and change.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None and link.note == "legal review"


def test_writers_are_not_offered_share_links_on_the_desk(writer_client):
    response = writer_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert CHANGELIST_URL not in response.content.decode()
