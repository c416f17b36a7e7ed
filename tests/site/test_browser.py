"""Every page type in headless Chromium: axe-core finds no accessibility violations, the
Content Security Policy blocks nothing, and screenshots at phone and desktop width are kept
in test-artifacts/screenshots/<database> for people to look at."""

import pytest
from django.conf import settings
from django.db import connection

from articles.models import Article, Author, Section, Tag
from tests.browser import browser_marks

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots" / connection.vendor
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

pytestmark = browser_marks(AXE)


@pytest.fixture
def site(demo_newsroom, live_server):
    """The demo newsroom served by the live server (uploads too): its address and a page of
    each type."""
    article = Article.objects.public().filter(related_links__isnull=False).distinct().first()
    published = article.published_at
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        # Two SEE ALSO boxes in the text: two landmarks, each with its own name.
        "article-two-boxes": next(
            story.get_absolute_url()
            for story in Article.objects.public().with_everything()
            if sum(1 for part in story.body_with_links()[0] if part.links) >= 2
        ),
        "latest": "/latest/",
        "section": Section.objects.filter(articles__in=Article.objects.public())
        .first()
        .get_absolute_url(),
        "tag": Tag.objects.filter(articles__in=Article.objects.public()).first().get_absolute_url(),
        "author": Author.objects.filter(bylines__isnull=False).first().get_absolute_url(),
        "archive": "/archive/",
        "archive-year": f"/archive/{published:%Y}/",
        "archive-month": f"/archive/{published:%Y/%m}/",
        "search": "/search/?q=battery",
        "search-empty": "/search/?q=%21%21%21",
        "not-found": "/no/such/page/",
    }
    return live_server.url, pages


def axe_context(browser, **options):
    """A browser context that loads axe-core into every page it opens: registered once, not
    sent with each page. Loading it needs the pages' CSP relaxed (bypass_csp); the site itself
    is not changed."""
    context = browser.new_context(bypass_csp=True, **options)
    context.add_init_script(path=str(AXE))
    return context


def run_axe(page):
    return page.evaluate("async () => (await axe.run(document)).violations")


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )


def test_every_page_type_is_accessible_and_screenshotted(site, browser):
    base, pages = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for scheme, device in (("light", "phone"), ("light", "desktop"), ("dark", "desktop")):
        context = axe_context(
            browser, viewport=VIEWPORTS[device], color_scheme=scheme, reduced_motion="reduce"
        )
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(base + path)
            expected = 404 if name == "not-found" else 200
            assert response.status == expected, (name, response.status)
            if violations := run_axe(page):
                problems.append(f"{name} [{device}, {scheme}]:\n{describe(violations)}")
            if scheme == "light":
                page.screenshot(path=SCREENSHOTS / f"{name}-{device}.png", full_page=True)
        context.close()
    assert not problems, "\n\n".join(problems)


def test_pages_need_no_script_and_break_no_policy(site, browser):
    """Each page has its heading with JavaScript off; with it on and the real CSP in force,
    nothing on a page is blocked."""
    base, pages = site
    without_script = browser.new_context(java_script_enabled=False).new_page()
    page = browser.new_context(java_script_enabled=True).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for name, path in pages.items():
        without_script.goto(base + path)
        assert without_script.locator("main h1").count() == 1, name
        page.goto(base + path)
        assert page.locator("main h1").count() == 1, name
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_keyboard_user_can_skip_to_content(site, browser):
    base, pages = site
    page = browser.new_page()
    page.goto(base + pages["article"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_admin_editor_loads_under_the_content_security_policy(site, browser):
    base, _ = site
    page = browser.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(base + "/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "editor")  # the demo's editor account
    page.fill("#id_password", "newsroom-demo")
    page.click("input[type=submit]")
    page.wait_for_selector(".prose-editor")
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Typed in the editor.")
    assert "Typed in the editor." in editor.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
