"""The editorial desk: writers and editors working on articles through the Django admin."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import (
    Article,
    Author,
    Byline,
    RelatedLink,
    Revision,
    Section,
    SlugRedirect,
    Tag,
)
from tests.factories import make_article as make_live_article
from tests.factories import make_author

pytestmark = pytest.mark.django_db

ADD_URL = "admin:articles_article_add"
CHANGELIST_URL = "admin:articles_article_changelist"
STALE_MESSAGE = "Someone else saved this article"


# Helpers ------------------------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def png_upload(name="hero.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#336699").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def inline_rows(prefix, existing, new):
    """An inline formset's management form and rows, as the admin posts them."""
    rows = [*existing, *new]
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": len(existing),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


def article_data(article=None, *, authors=(), links=(), **fields):
    """POST data for the article admin form.

    With `article`: its current values and inline rows, as the change form sends them back
    unchanged; without: an empty draft. `authors` and `links` (dicts of link fields) become new
    inline rows; `fields` override form fields (`published_at` as a datetime). The desk has no
    status field: `status=` presses the workflow button that leads there (Publish now, or
    Schedule for a future time; Submit for review), as an editor would.
    """
    data = {
        "headline": "",
        "slug": "",
        "dek": "",
        "body": "",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "published_at": None,
        "expires_at": None,
        "featured": False,
        "edit_version": "",
        "section": "",
        "tags": [],
        "new_tags": "",
        "seo_title": "",
        "seo_description": "",
    }
    bylines, related_links, revisions = [], [], []
    if article is not None:
        data.update(
            {name: getattr(article, name) for name in data if hasattr(article, name)},
            section=article.section_id or "",
            tags=[tag.pk for tag in article.tags.all()],
            edit_version=article.version,
        )
        bylines = [
            {
                "id": line.pk,
                "article": article.pk,
                "author": line.author_id,
                "position": line.position,
            }
            for line in article.bylines.all()
        ]
        related_links = [
            {
                "id": link.pk,
                "article": article.pk,
                "position": link.position,
                "target_article": link.target_article_id or "",
                "url": link.url,
                "title": link.title,
            }
            # The closing block's links: those placed in the text are edited in the body.
            for link in article.related_links.not_placed_in(article.body)
        ]
        revisions = [{"id": rev.pk, "article": article.pk} for rev in article.revisions.all()]
    status = fields.pop("status", None)
    data.update(fields)
    if status == Article.Status.PUBLISHED and not (article and article.is_public):
        future = data["published_at"] and data["published_at"] > timezone.now()
        data["_workflow"] = "schedule" if future else "publish"
    elif status == Article.Status.IN_REVIEW:
        data["_workflow"] = "submit"

    for name in ("published_at", "expires_at"):
        when = data.pop(name)
        local = timezone.localtime(when) if when else None
        data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    if data.pop("featured"):
        data["featured"] = "on"

    new_bylines = [
        {"author": author.pk, "position": position}
        for position, author in enumerate(authors, start=len(bylines))
    ]
    blank_link = {"target_article": "", "url": "", "title": ""}
    new_links = [
        {**blank_link, "position": position, **link}
        for position, link in enumerate(links, start=len(related_links))
    ]
    data |= inline_rows("bylines", bylines, new_bylines)
    data |= inline_rows("related_links", related_links, new_links)
    data |= inline_rows("revisions", revisions, [])
    return data


def form_errors(response):
    """Every error the re-displayed admin form shows: form fields, then inline rows."""
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.non_form_errors():
            errors[formset.prefix] = formset.non_form_errors()
        for number, row_errors in enumerate(formset.errors):
            if row_errors:
                errors[f"{formset.prefix}-{number}"] = row_errors
    return errors


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action, *articles, **filters):
    """A bulk action on the change list, shown with `filters` (e.g. state="trashed")."""
    query = "?" + "&".join(f"{key}={value}" for key, value in filters.items()) if filters else ""
    return client.post(
        reverse(CHANGELIST_URL) + query,
        {"action": action, "_selected_action": [a.pk for a in articles], "index": 0},
    )


# Fixtures (the editor, the writer and their clients are in tests/conftest.py) ---------------


@pytest.fixture
def author():
    return Author.objects.create(name="Li Wei", slug="li-wei")


@pytest.fixture
def section():
    return Section.objects.create(name="Batteries", slug="batteries")


@pytest.fixture
def make_article(author):
    """Articles made directly in the database, as the importer would: no revision history."""

    def make(headline, *, live=False, **fields):
        if live:
            fields.setdefault("status", Article.Status.PUBLISHED)
            fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        fields.setdefault("body", "<p>First paragraph.</p><p>Second paragraph.</p>")
        article = Article.objects.create(headline=headline, **fields)
        Byline.objects.create(article=article, author=author)
        return article

    return make


@pytest.fixture
def draft(make_article):
    return make_article("Sodium-ion cells reach the market")


@pytest.fixture
def published(make_article):
    return make_article("Battery swap stations pass 3,000", slug="battery-swap", live=True)


# 1. An editor creates a complete article ----------------------------------------------------


@pytest.fixture
def created_by_editor(editor_client, author, section, published):
    """An editor's new article: tags old and new, a byline, two ordered SEE ALSO links."""
    existing_tag = Tag.objects.create(name="Charging")
    response = editor_client.post(
        reverse(ADD_URL),
        article_data(
            headline="Swap stations go nationwide",
            slug="swap-stations-nationwide",
            dek="The network doubles in a year.",
            # The first link as the body editor places it: a box between the paragraphs.
            body=(
                "<p>First paragraph.</p>"
                f'<div data-see-also="{published.pk}" data-title="{published.headline}"></div>'
                "<p>Second paragraph.</p>"
            ),
            status=Article.Status.PUBLISHED,
            section=section.pk,
            tags=[existing_tag.pk],
            new_tags="Foo, Bar",
            authors=[author],
            links=[{"url": "https://example.org/report", "title": "The full report"}],
        ),
    )
    assert response.status_code == 302, form_errors(response)
    return Article.objects.get(slug="swap-stations-nationwide")


def test_editor_creates_a_published_article_with_tags_byline_and_links(
    created_by_editor, editor, author, section, published
):
    article = created_by_editor
    assert article.status == Article.Status.PUBLISHED
    assert article.is_public
    assert article.first_published_at == article.published_at
    assert article.section == section
    assert sorted(tag.name for tag in article.tags.all()) == ["Bar", "Charging", "Foo"]
    assert article.byline == [author]
    assert article.body == (
        f'<p>First paragraph.</p>\n<div data-see-also="{published.pk}"></div>\n'
        "<p>Second paragraph.</p>"
    )
    links = {(link.target_article, link.url) for link in article.related_links.all()}
    assert links == {(None, "https://example.org/report"), (published, "")}
    revision = Revision.objects.get(article=article)
    assert revision.user == editor
    assert revision.version == article.version
    assert revision.data["tags"] == ["Bar", "Charging", "Foo"]
    assert len(revision.data["related_links"]) == 2


def test_see_also_links_are_placed_inline_and_at_the_end(client, created_by_editor, published):
    response = client.get(created_by_editor.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    order = [
        page.index("First paragraph."),
        page.index("see-also--inline"),
        page.index(f'href="{published.get_absolute_url()}"'),
        page.index("Second paragraph."),
        page.index("see-also--end"),
        page.index('href="https://example.org/report"'),
    ]
    assert order == sorted(order)
    assert published.headline in page
    assert "The full report" in page


# 2. Writers draft; editors publish ----------------------------------------------------------


def test_writer_opens_the_add_form_with_its_inlines(writer_client):
    response = writer_client.get(reverse(ADD_URL))

    assert response.status_code == 200
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["bylines", "related_links", "revisions"]
    buttons = dict(response.context["workflow_steps"])
    assert list(buttons) == ["save", "submit"]


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_writer_creates_unpublished_articles(writer_client, writer, author, status):
    response = writer_client.post(
        reverse(ADD_URL),
        article_data(
            headline="Chip orders rise", slug="chip-orders", status=status, authors=[author]
        ),
    )

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="chip-orders")
    assert article.status == status
    assert article.published_at is None
    assert not article.is_public
    assert Revision.objects.get(article=article).user == writer


def test_writer_cannot_publish_from_the_form(writer_client, author):
    response = writer_client.post(
        reverse(ADD_URL),
        article_data(
            headline="Chip orders rise",
            slug="chip-orders",
            status=Article.Status.PUBLISHED,
            authors=[author],
        ),
    )

    assert response.status_code == 200
    assert "Only editors can publish" in str(form_errors(response)["__all__"])
    assert not Article.objects.exists()


def test_writer_is_not_offered_the_publishing_actions(writer_client, draft):
    response = writer_client.get(reverse(CHANGELIST_URL))

    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions
    assert "publish_now" not in actions
    assert "unpublish" not in actions


def test_writer_posting_the_publish_action_changes_nothing(writer_client, draft):
    response = run_action(writer_client, "publish_now", draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None


def test_writer_sees_a_published_article_read_only(writer_client, published):
    response = writer_client.get(change_url(published))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_writer_cannot_change_a_published_article(writer_client, published):
    response = writer_client.post(
        change_url(published), article_data(published, headline="Rewritten by a writer")
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.headline == "Battery swap stations pass 3,000"


def test_only_an_editor_deletes_a_published_article(writer_client, editor_client, published):
    assert writer_client.get(delete_url(published)).status_code == 403
    assert writer_client.post(delete_url(published), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=published.pk).exists()

    response = editor_client.post(delete_url(published), {"post": "yes"})

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.trashed_at is not None
    assert not published.is_public


def test_writer_deletes_a_draft(writer_client, draft):
    response = writer_client.post(delete_url(draft), {"post": "yes"})

    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).trashed_at is not None


def test_writer_deletes_own_draft_made_in_the_admin(writer_client, author):
    writer_client.post(
        reverse(ADD_URL), article_data(headline="Scrap this", slug="scrap", authors=[author])
    )
    draft = Article.objects.get(slug="scrap")
    assert draft.revisions.exists()

    response = writer_client.post(delete_url(draft), {"post": "yes"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.trashed_at is not None
    assert draft.revisions.count() == 2  # the revisions stay, and the trashing is one


# 3. Editor actions --------------------------------------------------------------------------


def test_publish_now_publishes_a_draft(editor_client, editor, draft):
    response = run_action(editor_client, "publish_now", draft)

    assert response.status_code == 302
    assert "Published 1 article(s)." in messages_of(response)
    draft.refresh_from_db()
    assert draft.is_public
    assert draft.first_published_at == draft.published_at
    assert Revision.objects.get(article=draft).user == editor


def test_publish_now_makes_a_scheduled_article_public_now(editor_client, make_article):
    scheduled = make_article(
        "Robotaxis in Wuhan", status="published", published_at=timezone.now() + timedelta(days=1)
    )
    assert not scheduled.is_public

    run_action(editor_client, "publish_now", scheduled)

    scheduled.refresh_from_db()
    assert scheduled.is_public
    assert scheduled.published_at <= timezone.now()


def test_publishing_a_scheduled_article_early_records_when_it_went_live(
    editor_client, make_article
):
    scheduled = make_article(
        "Robotaxis in Wuhan", status="published", published_at=timezone.now() + timedelta(days=1)
    )

    run_action(editor_client, "publish_now", scheduled)

    scheduled.refresh_from_db()
    assert scheduled.first_published_at <= timezone.now()


def test_publish_now_from_the_change_form(editor_client, draft):
    response = editor_client.post(change_url(draft), article_data(draft, _workflow="publish"))

    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.is_public


def test_unpublish_turns_an_article_back_into_a_draft(client, editor_client, published):
    response = run_action(editor_client, "unpublish", published)

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Article.Status.DRAFT
    assert not published.is_public
    assert client.get(published.get_absolute_url()).status_code == 404


def test_publish_now_refuses_a_hero_image_without_alt_text(editor_client, make_article):
    article = make_article("Foldables", hero_image=png_upload())

    response = run_action(editor_client, "publish_now", article)

    assert "“Foldables” was not published: its hero image needs alt text." in messages_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


# 4. Stale edits -----------------------------------------------------------------------------


def test_saving_a_fresh_copy_bumps_the_version(editor_client, draft):
    form = editor_client.get(change_url(draft)).context["adminform"].form
    assert form["edit_version"].value() == draft.version == 1

    response = editor_client.post(change_url(draft), article_data(draft, dek="New summary."))

    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.dek == "New summary."
    assert draft.version == 2
    assert draft.revisions.get().version == 2


def test_a_stale_edit_is_refused_and_the_other_save_is_kept(editor_client, draft):
    editor_client.get(change_url(draft))
    my_edit = article_data(draft, headline="My headline")
    elsewhere = Article.objects.get(pk=draft.pk)
    elsewhere.dek = "Saved elsewhere."
    elsewhere.save()

    response = editor_client.post(change_url(draft), my_edit)

    assert response.status_code == 200
    assert STALE_MESSAGE in str(response.context["adminform"].form.non_field_errors())
    assert STALE_MESSAGE in response.content.decode()
    assert response.context["adminform"].form["headline"].value() == "My headline"
    draft.refresh_from_db()
    assert draft.dek == "Saved elsewhere."
    assert draft.headline == "Sodium-ion cells reach the market"
    assert draft.version == 2
    assert not draft.revisions.exists()


# 5. Changing the address --------------------------------------------------------------------


def test_changing_a_published_slug_redirects_the_old_address(client, editor_client, published):
    old_url = published.get_absolute_url()
    # A live story's address is changed while it is taken down, then it goes back up.
    editor_client.post(reverse("admin:article_unpublish", args=[published.pk]))
    published.refresh_from_db()

    response = editor_client.post(
        change_url(published), article_data(published, slug="swap-3000", _workflow="publish")
    )

    assert response.status_code == 302, form_errors(response)
    published.refresh_from_db()
    assert published.slug == "swap-3000"
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == published.get_absolute_url()
    assert client.get(published.get_absolute_url()).status_code == 200


# 6. Bad input: form errors, never a 500 -----------------------------------------------------


@pytest.mark.parametrize(
    ("bad_input", "error_at"),
    [
        pytest.param(
            lambda target: {
                "links": [{"target_article": target.pk, "url": "https://example.org", "title": "X"}]
            },
            "related_links-0",
            id="link-with-target-and-url",
        ),
        pytest.param(
            lambda target: {"links": [{"title": "Nowhere"}]},
            "related_links-0",
            id="link-with-neither",
        ),
        pytest.param(
            lambda target: {"links": [{"url": "javascript:alert(1)", "title": "Click"}]},
            "related_links-0",
            id="javascript-url",
        ),
        pytest.param(
            lambda target: {"links": [{"url": "https://example.org/report"}]},
            "related_links-0",
            id="outside-url-without-title",
        ),
        pytest.param(lambda target: {"headline": ""}, "headline", id="empty-headline"),
        pytest.param(lambda target: {"slug": target.slug}, "slug", id="duplicate-slug"),
        pytest.param(
            lambda target: {"status": Article.Status.PUBLISHED, "hero_image": png_upload()},
            "hero_alt",
            id="published-hero-without-alt",
        ),
        pytest.param(lambda target: {"new_tags": "Fine, " + "x" * 101}, "new_tags", id="long-tag"),
    ],
)
def test_bad_input_is_a_form_error(editor_client, author, published, bad_input, error_at):
    articles_before = Article.objects.count()
    data = {"headline": "A new story", "slug": "a-new-story", "authors": [author]}
    data |= bad_input(published)

    response = editor_client.post(reverse(ADD_URL), article_data(**data))

    assert response.status_code == 200
    assert error_at in form_errors(response)
    assert "errornote" in response.content.decode()
    assert Article.objects.count() == articles_before
    assert not RelatedLink.objects.exists()
    assert not Tag.objects.exists()


def test_an_article_cannot_link_to_itself(editor_client, draft):
    response = editor_client.post(
        change_url(draft), article_data(draft, links=[{"target_article": draft.pk}])
    )

    assert response.status_code == 200
    assert "related_links-0" in form_errors(response)
    assert not RelatedLink.objects.exists()


def test_the_same_link_twice_is_a_form_error(editor_client, draft, published):
    twice = [{"target_article": published.pk}, {"target_article": published.pk}]

    response = editor_client.post(change_url(draft), article_data(draft, links=twice))

    assert response.status_code == 200
    assert form_errors(response)
    assert not RelatedLink.objects.exists()


# 7. Preview ---------------------------------------------------------------------------------


def test_view_on_site_points_to_the_preview_until_the_article_is_public(
    editor_client, draft, published
):
    draft_page = editor_client.get(change_url(draft))
    published_page = editor_client.get(change_url(published))

    assert draft_page.context["absolute_url"] == reverse("site:preview", args=[draft.pk])
    assert published_page.context["absolute_url"] == published.get_absolute_url()


@pytest.mark.parametrize("who", ["editor", "writer"])
def test_staff_preview_an_unpublished_article(request, who, draft):
    client = request.getfixturevalue(f"{who}_client")

    response = client.get(reverse("site:preview", args=[draft.pk]))

    assert response.status_code == 200
    assert "preview-banner" in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "reader", "non-staff editor"])
def test_preview_is_not_found_for_everyone_else(client, who, draft):
    if who != "anonymous":
        user = User.objects.create_user(who.replace(" ", "-"))
        if who == "non-staff editor":
            user.groups.add(Group.objects.get(name="Editor"))
        client.force_login(user)

    response = client.get(reverse("site:preview", args=[draft.pk]))

    assert response.status_code == 404


# 8. Change list -----------------------------------------------------------------------------


@pytest.fixture
def catalogue(make_article, section):
    """A published article with section, tag and byline; an older one; a draft."""
    chips = Tag.objects.create(name="Chips")
    reporter = Author.objects.create(name="Zhang Min", slug="zhang-min")
    now = timezone.now()
    lead = make_article(
        "Chipmaker wins AI orders", live=True, section=section, published_at=now - timedelta(days=2)
    )
    lead.tags.add(chips)
    Byline.objects.create(article=lead, author=reporter, position=1)
    return SimpleNamespace(
        lead=lead,
        old=make_article(
            "Last year's price war", live=True, published_at=now - timedelta(days=400)
        ),
        draft=make_article("Unfinished piece about chips"),
        chips=chips,
        reporter=reporter,
        section=section,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(lambda c: {}, {"lead", "old", "draft"}, id="all"),
        pytest.param(lambda c: {"state": "live"}, {"lead", "old"}, id="state"),
        pytest.param(lambda c: {"section__id__exact": c.section.pk}, {"lead"}, id="section"),
        pytest.param(lambda c: {"tags__id__exact": c.chips.pk}, {"lead"}, id="tag"),
        pytest.param(
            lambda c: {"bylines__author__id__exact": c.reporter.pk}, {"lead"}, id="author"
        ),
        pytest.param(lambda c: {"q": "chip"}, {"lead", "draft"}, id="search"),
        pytest.param(lambda c: {"state": "live", "_facets": "1"}, {"lead", "old"}, id="facets"),
        pytest.param(
            lambda c: {
                "published_at__year": timezone.localtime(c.lead.published_at).year,
                "published_at__month": timezone.localtime(c.lead.published_at).month,
                "published_at__day": timezone.localtime(c.lead.published_at).day,
            },
            {"lead"},
            id="date-drill-down",
        ),
    ],
)
def test_changelist_filters_and_search(editor_client, catalogue, query, expected):
    response = editor_client.get(reverse(CHANGELIST_URL), query(catalogue))

    assert response.status_code == 200
    names = {name for name, article in vars(catalogue).items() if isinstance(article, Article)}
    shown = {
        name for name in names if getattr(catalogue, name) in response.context["cl"].result_list
    }
    assert shown == expected


def test_tag_autocomplete(editor_client, catalogue):
    Tag.objects.create(name="Batteries")

    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "chi"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(catalogue.chips.pk), "text": "Chips"}]


# 9. Sanitising ------------------------------------------------------------------------------


def test_dangerous_markup_is_removed_from_the_body(client, editor_client, author):
    body = (
        "<p>Hello<script>alert('script')</script></p>"
        '<p><img src="https://example.org/a.png" alt="A chart" onerror="alert(\'img\')"></p>'
        "<p><a href=\"javascript:alert('link')\">Click me</a></p>"
        '<iframe src="https://evil.example/"></iframe>'
    )
    response = editor_client.post(
        reverse(ADD_URL),
        article_data(
            headline="Clean copy",
            slug="clean-copy",
            body=body,
            status=Article.Status.PUBLISHED,
            authors=[author],
        ),
    )
    assert response.status_code == 302, form_errors(response)

    article = Article.objects.get(slug="clean-copy")
    page = client.get(article.get_absolute_url()).content.decode()
    # Structured data is the one script block a page may carry; it is data, not code.
    page = re.sub(r'<script type="application/ld\+json">.*?</script>', "", page, flags=re.S)
    for html in (article.body, page):
        for dangerous in ("<script", "alert(", "onerror", "javascript:", "<iframe", "evil.example"):
            assert dangerous not in html
    assert "<p>Hello</p>" in article.body
    assert "Click me" in page
    # An outside image would be a tracking pixel: bodies place only our uploads, by marker.
    assert "<img" not in article.body
    assert "example.org/a.png" not in page


# Odd input -----------------------------------------------------------------------------------


def test_revision_pages_open(editor_client, writer_client, author_for_admin):
    editor_client.post(
        reverse(ADD_URL), article_data(headline="Kept", slug="kept", authors=[author_for_admin])
    )
    revision = Revision.objects.get()
    for client in (editor_client, writer_client):
        response = client.get(reverse("admin:articles_revision_change", args=[revision.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Headline" in page and "Kept" in page
        assert "<pre>" not in page  # read as an article, not as a data dump


@pytest.fixture
def author_for_admin():
    return make_author("Desk Reporter")


def test_new_tag_matching_an_existing_one_in_any_case_reuses_it(editor_client, author_for_admin):
    existing = Tag.objects.create(name="Straße")
    data = article_data(
        headline="Roads",
        slug="roads",
        new_tags="STRASSE, straße, Straße ",
        authors=[author_for_admin],
    )
    response = editor_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, form_errors(response)
    assert existing in Article.objects.get(slug="roads").tags.all()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"headline": "\x01\x02\x03"}, "headline"),
        ({"headline": "Fine"}, None),
    ],
)
def test_headline_of_stray_characters_is_a_form_error(
    editor_client, author_for_admin, fields, field
):
    response = editor_client.post(
        reverse(ADD_URL), article_data(slug="x-slug", authors=[author_for_admin], **fields)
    )
    if field:
        assert response.status_code == 200 and field in form_errors(response)
    else:
        assert response.status_code == 302


def test_link_title_of_stray_characters_is_a_form_error(editor_client, author_for_admin):
    data = article_data(
        headline="Has a link", slug="has-a-link", authors=[author_for_admin],
        links=[{"url": "https://example.com/", "title": "\x01\x02"}],
    )  # fmt: skip
    response = editor_client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "Give the outside link a title." in str(form_errors(response))
    assert not RelatedLink.objects.exists()


def test_a_draft_cannot_take_an_address_that_still_redirects(editor_client, author_for_admin):
    live = make_live_article("Old name")
    live.slug = "new-name"
    live.save()
    response = editor_client.post(
        reverse(ADD_URL),
        article_data(headline="Copycat", slug="old-name", authors=[author_for_admin]),
    )
    assert response.status_code == 200
    assert "still leads readers" in str(form_errors(response)["slug"])
    # The importer, which picks slugs itself, steps around it.
    imported = make_live_article("Old name", live=False)
    assert imported.slug != "old-name"
    assert SlugRedirect.objects.get(old_slug="old-name").article == live
