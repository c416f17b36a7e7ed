"""An image in the body, in headless Chromium under the site's real Content Security Policy:
uploaded from the editor with its alt text, saved with the article, shown on its page; chosen
again from the recent uploads. Waits are for requests and elements, never fixed sleeps."""

import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Author, BodyImage, Byline
from tests.browser import browser_marks, signed_in

PASSWORD = "a-long-test-password-1"
WAIT_MS = 20_000

pytestmark = browser_marks()


def png(size=(640, 360), colour="#2a7ab0"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def desk(live_server):
    user = User.objects.create_user("wanda", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Writer"))
    article = Article.objects.create(
        headline="Harbour cranes", slug="harbour-cranes", body="<p>As filed.</p>"
    )
    Byline.objects.create(article=article, author=Author.objects.create(name="Li Wei", slug="li"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    return SimpleNamespace(base=live_server.url, article=article, change=change)


@pytest.fixture
def page(desk, browser):
    errors = []
    page = signed_in(browser, desk.base, "wanda").new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(desk.base + desk.change)
    page.locator(".ProseMirror >> visible=true").first.wait_for()
    page.console_errors = errors
    return page


def open_image_dialog(page):
    page.locator(".ProseMirror >> visible=true").first.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Insert an image").click()
    dialog = page.locator("dialog.desk-body-image-dialog")
    dialog.wait_for()
    return dialog


def save(page):
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()


def test_an_image_uploaded_from_the_editor_with_alt_text_is_saved_and_shown(desk, page):
    from playwright.sync_api import expect

    dialog = open_image_dialog(page)
    dialog.locator("input[type=file]").set_input_files(
        {"name": "crane.png", "mimeType": "image/png", "buffer": png()}
    )
    dialog.get_by_label("Alt text", exact=False).fill("Two cranes over a container ship")
    dialog.get_by_label("Caption").fill("The port at dawn.")
    dialog.get_by_label("Credit").fill("Photo: Li Wei")
    with page.expect_response(lambda r: r.url.endswith("/desk/images/body/upload/")) as upload:
        dialog.get_by_role("button", name="Upload and insert").click()
    assert upload.value.status == 201

    image = BodyImage.objects.get()
    figure = page.locator(".ProseMirror .desk-body-image")
    expect(figure).to_contain_text("Two cranes over a container ship", timeout=WAIT_MS)
    expect(figure.locator("img")).to_have_attribute("src", image.file.url)
    save(page)

    article = Article.objects.get(pk=desk.article.pk)
    assert image.marker in article.body
    assert list(article.body_images.all()) == [image]
    assert image.uploaded_by.username == "wanda"
    preview = page.goto(f"{desk.base}{reverse('site:preview', args=[desk.article.pk])}")
    assert preview.status == 200
    shown = page.locator(".story__body figure.story__figure")
    expect(shown.locator("img")).to_have_attribute("alt", "Two cranes over a container ship")
    expect(shown.locator("figcaption")).to_have_text("The port at dawn. Photo: Li Wei")
    shown.locator("img").scroll_into_view_if_needed()
    # The picture loads: whichever rendition the browser picks is a file that exists.
    page.wait_for_function(
        "() => document.querySelector('.story__figure img').naturalWidth > 0", timeout=WAIT_MS
    )
    assert not page.console_errors, page.console_errors


def test_a_refused_upload_says_why_and_inserts_nothing(desk, page):
    from playwright.sync_api import expect

    dialog = open_image_dialog(page)
    dialog.locator("input[type=file]").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"not an image at all"}
    )
    dialog.get_by_label("Alt text", exact=False).fill("Notes")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not a JPEG, PNG or WebP image")
    assert not BodyImage.objects.exists()
    assert page.locator(".ProseMirror .desk-body-image").count() == 0


def test_an_image_already_uploaded_can_be_chosen(desk, page):
    from playwright.sync_api import expect

    earlier = BodyImage.objects.create(
        file=SimpleUploadedFile("chart.png", png((300, 200), "#cc3300")), alt="Sales by month"
    )
    dialog = open_image_dialog(page)
    dialog.get_by_role("button", name="Sales by month").click()
    expect(page.locator(".ProseMirror .desk-body-image")).to_contain_text("Sales by month")
    save(page)
    assert earlier.marker in Article.objects.get(pk=desk.article.pk).body
