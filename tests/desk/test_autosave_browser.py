"""Autosave, restore, the leave warning and presence in headless Chromium, with the site's
real Content Security Policy. Waits are for requests and page events, never fixed sleeps."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.desk.models import AutosaveDraft
from articles.models import Article, Author, Byline
from tests.browser import browser_marks, signed_in

PASSWORD = "a-long-test-password-1"
# The form autosaves three seconds after the last change; this leaves room for a slow machine.
WAIT_MS = 20_000


pytestmark = browser_marks()


@pytest.fixture(autouse=True)
def quick_autosave(settings):
    """The autosave still waits for a quiet moment after typing, only a shorter one."""
    settings.AUTOSAVE_SECONDS = 0.4


@pytest.fixture
def desk(live_server):
    """Two editors and one draft article, served by a live server."""
    for username, first, last in (("edna", "Edna", "Marsh"), ("omar", "Omar", "Diallo")):
        user = User.objects.create_user(
            username, password=PASSWORD, is_staff=True, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name="Editor"))
    article = Article.objects.create(
        headline="Sodium cells arrive", slug="sodium-cells", body="<p>As filed.</p>"
    )
    Byline.objects.create(article=article, author=Author.objects.create(name="Li Wei", slug="li"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    return SimpleNamespace(base=live_server.url, article=article, change=change)


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def open_form(desk, browser, console_errors):
    """Sign `username` in, in a browser context of their own, and open the article's form."""

    def open_as(username, *, script=True):
        page = signed_in(browser, desk.base, username, java_script_enabled=script).new_page()
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        page.goto(f"{desk.base}{desk.change}")
        if script:
            body_editor(page).wait_for()
        return page

    return open_as


def watch_dialogs(page, *, accept):
    """Answer every dialog the page opens (leave, or stay); return the list of their types."""
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", answer)
    return seen


def body_editor(page):
    return page.locator(".ProseMirror >> visible=true").first


def type_in_body(page, text):
    body_editor(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def autosave_of(text):
    """Matches the autosave request that carries `text`."""

    def matches(response):
        request = response.request
        return (
            request.method == "POST"
            and request.url.endswith("/autosave/")
            and text.replace(" ", "+") in (request.post_data or "")
        )

    return matches


def policy_errors(errors):
    return [error for error in errors if "Content Security Policy" in error]


def test_typing_is_autosaved_then_restored_after_a_reload_and_saved(
    desk, open_form, console_errors
):
    from playwright.sync_api import expect

    page = open_form("edna")
    dialogs = watch_dialogs(page, accept=True)
    with page.expect_response(autosave_of("Typed in the editor."), timeout=WAIT_MS) as saved:
        page.click("#id_headline")
        page.keyboard.press("End")
        page.keyboard.type(" early")
        type_in_body(page, " Typed in the editor.")
    assert saved.value.status == 200
    draft = AutosaveDraft.objects.get(article=desk.article)
    assert draft.data["headline"] == ["Sodium cells arrive early"]
    assert "Typed in the editor." in draft.data["body"][0]
    expect(page.locator("[data-autosave-status]")).to_contain_text("Autosaved as your draft")
    assert Article.objects.get(pk=desk.article.pk).headline == "Sodium cells arrive"

    # Reloading leaves unsaved changes: the page asks first (accepted here).
    page.reload()
    assert dialogs == ["beforeunload"]
    body_editor(page).wait_for()
    notice = page.locator("[data-autosave-notice]")
    expect(notice).to_contain_text("You have unsaved changes from")
    expect(page.locator("#id_headline")).to_have_value("Sodium cells arrive")
    expect(body_editor(page)).not_to_contain_text("Typed in the editor.")

    page.click("[data-autosave-restore]")
    expect(notice).to_contain_text("restored")
    expect(page.locator("#id_headline")).to_have_value("Sodium cells arrive early")
    expect(body_editor(page)).to_contain_text("As filed. Typed in the editor.")

    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    assert dialogs == ["beforeunload"], "saving the form must not ask to leave"
    article = Article.objects.get(pk=desk.article.pk)
    assert article.headline == "Sodium cells arrive early"
    assert "Typed in the editor." in article.body
    assert not AutosaveDraft.objects.exists()
    assert not policy_errors(console_errors), console_errors


def test_discard_forgets_the_draft(desk, open_form, console_errors):
    from playwright.sync_api import expect

    edna = User.objects.get(username="edna")
    AutosaveDraft.objects.create(
        article=desk.article,
        user=edna,
        data={"headline": ["Not wanted"]},
        base_version=desk.article.version,
    )
    page = open_form("edna")
    expect(page.locator("[data-autosave-notice]")).to_contain_text("unsaved changes")
    discard_url = reverse("desk:autosave-discard", args=[desk.article.pk])
    with page.expect_response(lambda r: r.url.endswith(discard_url)) as discarded:
        page.click("[data-autosave-discard]")
    assert discarded.value.status == 200
    expect(page.locator("[data-autosave-notice]")).to_have_count(0)
    assert not AutosaveDraft.objects.exists()
    expect(page.locator("#id_headline")).to_have_value("Sodium cells arrive")
    # Nothing was changed on the page: leaving does not ask.
    dialogs = watch_dialogs(page, accept=False)
    page.reload()
    assert dialogs == []
    expect(page.locator("[data-autosave-notice]")).to_have_count(0)
    assert not policy_errors(console_errors), console_errors


def test_leaving_with_unsaved_changes_asks_and_saving_does_not(desk, open_form, console_errors):
    page = open_form("edna")
    dialogs = watch_dialogs(page, accept=False)
    type_in_body(page, " One more line.")
    home = page.locator(".breadcrumbs a").first
    with page.expect_event("dialog"):
        home.click()
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(desk.change)  # stayed: the dialog was answered "stay"

    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    body_editor(page).wait_for()
    assert dialogs == ["beforeunload"], "saving the form must not ask to leave"
    assert "One more line." in Article.objects.get(pk=desk.article.pk).body
    with page.expect_navigation():
        home.click()
    assert dialogs == ["beforeunload"], "nothing unsaved: leaving must not ask"
    assert not policy_errors(console_errors), console_errors


def test_a_second_editor_sees_who_is_editing_and_the_first_learns_of_them(
    desk, open_form, console_errors
):
    from playwright.sync_api import expect

    edna = open_form("edna")
    omar = open_form("omar")
    expect(omar.locator("[data-presence]")).to_contain_text("Edna Marsh is editing since")
    expect(edna.locator("[data-presence]")).not_to_contain_text("Omar")
    # Edna's page learns of Omar at its next heartbeat (sent when the tab is shown again).
    presence_url = reverse("desk:presence", args=[desk.article.pk])
    with edna.expect_response(lambda r: r.url.endswith(presence_url)) as beat:
        edna.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert beat.value.status == 200
    expect(edna.locator("[data-presence]")).to_contain_text("Omar Diallo is editing since")
    assert not policy_errors(console_errors), console_errors


def test_a_save_waits_for_an_autosave_in_flight(desk, open_form, console_errors):
    """Were the late autosave to land after the save, it would leave a draft behind."""
    page = open_form("edna")
    held = []
    page.route("**/autosave/", lambda route: held.append(route))
    with page.expect_request(lambda request: request.url.endswith("/autosave/"), timeout=WAIT_MS):
        type_in_body(page, " Saved while autosaving.")
    page.locator("input[name=_save]").first.click()
    assert Article.objects.get(pk=desk.article.pk).version == desk.article.version
    with page.expect_navigation():
        held[0].continue_()
    article = Article.objects.get(pk=desk.article.pk)
    assert "Saved while autosaving." in article.body
    assert not AutosaveDraft.objects.exists()
    assert not policy_errors(console_errors), console_errors


def test_without_javascript_the_notices_are_plain_text_and_the_form_saves(desk, open_form):
    from playwright.sync_api import expect

    edna = User.objects.get(username="edna")
    AutosaveDraft.objects.create(
        article=desk.article,
        user=edna,
        data={"headline": ["Kept headline"]},
        base_version=desk.article.version,
    )
    open_form("omar")
    page = open_form("edna", script=False)
    expect(page.locator("[data-autosave-notice]")).to_contain_text("You have unsaved changes from")
    expect(page.locator("[data-autosave-restore]")).to_be_hidden()
    expect(page.locator("[data-presence]")).to_contain_text("Omar Diallo is editing since")
    page.fill("#id_headline", "Saved without a script")
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    assert Article.objects.get(pk=desk.article.pk).headline == "Saved without a script"
    assert not AutosaveDraft.objects.exists()
