"""The body editor in headless Chromium, under the site's real Content Security Policy: SEE ALSO
boxes placed from the chooser, moved, removed, cut and pasted; paste from Google Docs and Word;
the link dialog; the word count; spellcheck; the form around the editor. The editor's HTML is
read where the form posts it: the body's textarea."""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.desk import changes
from articles.models import Article
from tests.browser import browser_marks, signed_in
from tests.factories import link, make_article, make_author

PASSWORD = "a-long-test-password-1"
CLIPBOARD = Path(__file__).parent / "clipboard"
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BODY = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"

pytestmark = browser_marks()


@pytest.fixture
def newsroom(live_server):
    """An editor, the story she edits, and the stories a SEE ALSO chooser meets."""
    edna = User.objects.create_user(
        "edna", password=PASSWORD, is_staff=True, first_name="Edna", last_name="Marsh"
    )
    edna.groups.add(Group.objects.get(name="Editor"))
    story = make_article(
        "Sodium cells arrive", live=False, slug="sodium-cells", body=BODY, authors=[make_author()]
    )
    zeekr = make_article("Zeekr wagon arrives in Europe", slug="zeekr-wagon")
    return SimpleNamespace(
        base=live_server.url,
        story=story,
        zeekr=zeekr,
        # Its pending draft of changes shares its headline: it is never offered.
        zeekr_changes=changes.prepare(zeekr, user=edna),
        draft=make_article("Recycling plant planned", live=False),
        trashed=make_article("Zeekr trashed story", trashed_at=timezone.now()),
    )


@pytest.fixture
def console_errors():
    return []


@pytest.fixture
def open_form(newsroom, browser, console_errors):
    """Sign Edna in and open an article's change form (the story's by default)."""

    def open_article(article=None, **context):
        article = article or newsroom.story
        viewport = {"width": 1440, "height": 900}
        page = signed_in(browser, newsroom.base, "edna", viewport=viewport, **context).new_page()
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        page.goto(newsroom.base + reverse("admin:articles_article_change", args=[article.pk]))
        body_editor(page).wait_for()
        return page

    return open_article


def body_editor(page):
    return page.locator(".prose-editor .ProseMirror[contenteditable]")


def body_html(page):
    """What the form posts as the body."""
    return page.evaluate("document.getElementById('id_body').value")


class _TopLevel(HTMLParser):
    """The top-level blocks of the body's HTML, readably: a block's text, or "SEE ALSO
    <target>" for a box."""

    def __init__(self):
        super().__init__()
        self.depth, self.blocks, self.text = 0, [], []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and tag == "div" and (target := dict(attrs).get("data-see-also")):
            self.blocks.append(f"SEE ALSO {target}")
        elif tag in ("li", "p") and self.depth:
            self.text.append(" ")
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        if self.depth == 0 and tag != "div":
            self.blocks.append(" ".join("".join(self.text).split()))
            self.text = []

    def handle_data(self, data):
        self.text.append(data)


def blocks(html):
    parser = _TopLevel()
    parser.feed(html)
    return parser.blocks


def until(page, action, selected):
    """Do `action` until the editor's selection passes `selected` (JavaScript, of `selection`).

    Given the focus back (a dialog closed), ProseMirror puts its own selection back into the
    page a moment later, undoing a click or a key press made within that moment: no person is
    that quick, a test is.
    """
    editor = body_editor(page)
    for _ in range(10):
        action()
        if editor.evaluate(f"dom => (selection => {selected})(dom.editor.state.selection)"):
            return
    raise AssertionError(f"the editor's selection never matched: {selected}")


def cursor_in(page, text, key="End"):
    """The cursor in the paragraph `text`, at its end, or at its start with key="Home"."""
    paragraph = body_editor(page).get_by_text(text, exact=True)
    offset = {"End": "selection.$from.parent.content.size", "Home": "0", None: "undefined"}[key]

    def click():
        paragraph.click()
        if key:
            page.keyboard.press(key)

    until(
        page,
        click,
        f"selection.empty && selection.$from.parent.textContent === {text!r} "
        f"&& [undefined, selection.$from.parentOffset].includes({offset})",
    )


def select_first_word(page, text):
    """The first word of the paragraph `text` selected."""
    word = text.split()[0]

    def select():
        cursor_in(page, text, "Home")
        page.keyboard.press("Control+Shift+ArrowRight")

    until(
        page, select, f"selection.$from.doc.textBetween(selection.from, selection.to) === {word!r}"
    )


def select_box(page, box):
    """A SEE ALSO box selected, as a click on it does."""
    label = box.locator(".desk-see-also__label")
    until(page, label.click, "selection.node?.type.name === 'seeAlso'")


def choose_article(page, query, headline):
    """Open the SEE ALSO chooser from the toolbar and choose one of our articles."""
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    page.get_by_label("Search our articles by headline or number").fill(query)
    page.locator(".desk-picker__result", has_text=headline).click()


def results(page):
    """The headlines the open dialog offers, once its search has answered."""
    from playwright.sync_api import expect

    results = page.locator(".desk-picker__results")
    expect(results).to_be_visible()
    expect(results).not_to_have_attribute("aria-busy", "true")
    return results.locator(".desk-picker__headline").all_inner_texts()


def paste(page, html, text="pasted text"):
    """Paste as the browser does: a paste event carrying the clipboard's HTML and text."""
    body_editor(page).evaluate(
        """(editor, [html, text]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", text);
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        [html, text],
    )


def empty_body(page):
    body_editor(page).click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    assert body_html(page) == ""


def policy_errors(errors):
    return [error for error in errors if "Content Security Policy" in error]


# SEE ALSO boxes -----------------------------------------------------------------------------


def test_see_also_boxes_are_chosen_placed_between_paragraphs_moved_removed_and_saved(
    newsroom, open_form, console_errors
):
    from playwright.sync_api import expect

    zeekr, draft = newsroom.zeekr, newsroom.draft
    page = open_form()
    editor = body_editor(page)

    # One of our articles, by headline, ignoring case; never the story itself, a draft of
    # changes or one in the trash.
    cursor_in(page, "First paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    dialog = page.get_by_role("dialog", name="Add a SEE ALSO box")
    expect(dialog).to_be_visible()
    offered = results(page)
    assert offered.count(zeekr.headline) == 1
    assert newsroom.story.headline not in offered
    assert newsroom.trashed.headline not in offered
    expect(dialog.locator(".desk-picker__result", has_text=draft.headline)).to_contain_text(
        "Draft ·"
    )
    dialog.get_by_label("Search our articles by headline or number").fill("ZEEKR")
    expect(dialog.locator(".desk-picker__status")).to_have_text("1 article found, newest first.")
    dialog.locator(".desk-picker__result", has_text=zeekr.headline).click()
    expect(dialog).to_be_hidden()
    assert blocks(body_html(page)) == [
        "First paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Second paragraph.",
        "Third paragraph.",
    ]
    assert f'<div data-see-also="{zeekr.pk}" data-title="{zeekr.headline}"></div>' in body_html(
        page
    )
    expect(editor.locator(".desk-see-also")).to_have_text(
        re.compile(f"^SEE ALSO: {zeekr.headline}")
    )

    # A draft: placed, with a note that readers do not see it yet; an article already placed is
    # not offered again.
    cursor_in(page, "Second paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    assert zeekr.headline not in results(page)
    page.locator(".desk-picker__result", has_text=draft.headline).click()
    assert f'data-see-also="{draft.pk}" data-title="{draft.headline}" data-state="draft"' in (
        body_html(page)
    )
    expect(editor.locator(".desk-see-also", has_text=draft.headline)).to_contain_text(
        "hidden from readers until it is published"
    )

    # An outside page: an http(s) address and a title, both required.
    cursor_in(page, "Third paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    dialog.get_by_label("An outside page").check()
    address = dialog.get_by_label("Address of the page (http or https)")
    title = dialog.get_by_label("Title readers will see")
    address.fill("ftp://example.org/report")
    dialog.get_by_role("button", name="Add the box").click()
    expect(dialog).to_be_visible()
    assert "http" in address.evaluate("input => input.validationMessage")
    address.fill("example.org/report")
    dialog.get_by_role("button", name="Add the box").click()
    expect(dialog).to_be_visible()
    assert title.evaluate("input => input.validationMessage") == "Give the outside page a title."
    title.fill("The full report")
    dialog.get_by_role("button", name="Add the box").click()
    expect(dialog).to_be_hidden()
    outside = "https://example.org/report"
    assert f'<div data-see-also="{outside}" data-title="The full report"></div>' in body_html(page)
    expect(editor.locator(".desk-see-also", has_text="The full report")).to_contain_text(
        "Outside link: example.org"
    )

    # Typing above the boxes leaves them where they are.
    cursor_in(page, "First paragraph.", "Home")
    page.keyboard.type("A new first paragraph.")
    page.keyboard.press("Enter")
    page.keyboard.type("And another.")
    page.keyboard.press("Enter")
    assert blocks(body_html(page)) == [
        "A new first paragraph.",
        "And another.",
        "First paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Second paragraph.",
        f"SEE ALSO {draft.pk}",
        "Third paragraph.",
        f"SEE ALSO {outside}",
    ]

    # Moved with its arrows, and with Alt+arrow keys when it is selected.
    zeekr_box = editor.locator(".desk-see-also", has_text=zeekr.headline)
    zeekr_box.get_by_role("button", name=f"Move the SEE ALSO box “{zeekr.headline}” down").click()
    assert blocks(body_html(page))[3:6] == [
        "Second paragraph.",
        f"SEE ALSO {zeekr.pk}",
        f"SEE ALSO {draft.pk}",
    ]
    select_box(page, zeekr_box)
    page.keyboard.press("Alt+ArrowUp")
    assert blocks(body_html(page))[2:5] == [
        "First paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Second paragraph.",
    ]

    # Dragged: the outside box, from the end to above the third paragraph.
    outside_box = editor.locator(".desk-see-also", has_text="The full report")
    third = editor.get_by_text("Third paragraph.", exact=True)
    outside_box.drag_to(third, target_position={"x": 20, "y": 2})
    assert blocks(body_html(page))[-3:] == [
        f"SEE ALSO {draft.pk}",
        f"SEE ALSO {outside}",
        "Third paragraph.",
    ]

    # Removed: with its button, or selected and Backspace, like any block.
    editor.locator(".desk-see-also", has_text=draft.headline).get_by_role(
        "button", name=f"Remove the SEE ALSO box “{draft.headline}”"
    ).click()
    select_box(page, outside_box)
    page.keyboard.press("Backspace")
    assert blocks(body_html(page)) == [
        "A new first paragraph.",
        "And another.",
        "First paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Second paragraph.",
        "Third paragraph.",
    ]

    # Cut and pasted: it goes between blocks, after the paragraph the cursor is in.
    select_box(page, zeekr_box)
    page.keyboard.press("Control+x")
    assert f"SEE ALSO {zeekr.pk}" not in blocks(body_html(page))
    cursor_in(page, "Third paragraph.")
    page.keyboard.press("Control+v")
    assert blocks(body_html(page))[-2:] == ["Third paragraph.", f"SEE ALSO {zeekr.pk}"]
    select_box(page, editor.locator(".desk-see-also"))
    page.keyboard.press("Control+x")
    cursor_in(page, "Second paragraph.", key=None)
    page.keyboard.press("Control+v")
    assert blocks(body_html(page))[2:5] == [
        "First paragraph.",
        "Second paragraph.",
        f"SEE ALSO {zeekr.pk}",
    ]

    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    saved = Article.objects.get(pk=newsroom.story.pk).body
    assert blocks(saved) == [
        "A new first paragraph.",
        "And another.",
        "First paragraph.",
        "Second paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Third paragraph.",
    ]
    assert not console_errors, console_errors


def test_an_article_in_the_list_at_the_end_is_not_offered_for_the_text(newsroom, open_form):
    from playwright.sync_api import expect

    zeekr = newsroom.zeekr
    link(newsroom.story, zeekr)
    page = open_form()
    cursor_in(page, "First paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    page.get_by_label("Search our articles by headline or number").fill("zeekr")
    listed = page.locator(".desk-picker__result", has_text=zeekr.headline)
    expect(listed).to_be_disabled()
    expect(listed).to_contain_text("in the list at the end: take it off that list first")
    # Ticked for deletion there, it may go into the text.
    page.get_by_role("button", name="Cancel").click()
    page.locator("#related_links-group input[name$='-DELETE']").check()
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    page.get_by_label("Search our articles by headline or number").fill("zeekr")
    listed.click()
    assert blocks(body_html(page))[:2] == ["First paragraph.", f"SEE ALSO {zeekr.pk}"]
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    story = Article.objects.get(pk=newsroom.story.pk)
    assert blocks(story.body)[:2] == ["First paragraph.", f"SEE ALSO {zeekr.pk}"]
    assert list(story.related_links.values_list("target_article", flat=True)) == [zeekr.pk]


def test_a_box_pasted_into_a_list_goes_after_it(newsroom, open_form):
    zeekr = newsroom.zeekr
    page = open_form()
    empty_body(page)
    box = f'<div data-see-also="{zeekr.pk}" data-title="{zeekr.headline}"></div>'
    paste(page, f"<p>Before.</p><ul><li><p>One</p>{box}</li><li><p>Two</p></li></ul>")
    assert blocks(body_html(page)) == ["Before.", "One Two", f"SEE ALSO {zeekr.pk}"]


def test_boxes_come_back_titled_when_the_form_is_opened_again(newsroom, open_form):
    zeekr = newsroom.zeekr
    page = open_form()
    cursor_in(page, "First paragraph.")
    choose_article(page, "zeekr", zeekr.headline)
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    box = body_editor(page).locator(".desk-see-also")
    assert box.inner_text().startswith(f"SEE ALSO: {zeekr.headline}")
    assert blocks(body_html(page)) == [
        "First paragraph.",
        f"SEE ALSO {zeekr.pk}",
        "Second paragraph.",
        "Third paragraph.",
    ]


def test_readers_see_the_boxes_between_the_paragraphs_they_were_placed_between(newsroom, open_form):
    zeekr = newsroom.zeekr
    page = open_form()
    cursor_in(page, "First paragraph.")
    choose_article(page, "zeekr", zeekr.headline)
    cursor_in(page, "Second paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    page.get_by_label("An outside page").check()
    page.get_by_label("Address of the page (http or https)").fill("https://example.org/report")
    page.get_by_label("Title readers will see").fill("The full report")
    page.get_by_role("button", name="Add the box").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish now").first.click()
    story = Article.objects.get(pk=newsroom.story.pk)
    assert story.is_public

    reader = Client().get(story.get_absolute_url()).content.decode()
    assert "data-see-also" not in reader
    first, second, third = (reader.index(f"{n} paragraph.") for n in ("First", "Second", "Third"))
    assert first < reader.index(f'href="{zeekr.get_absolute_url()}"') < second
    assert second < reader.index('href="https://example.org/report"') < third

    feed = feedparser.parse(Client().get(reverse("syndication:feed_rss")).content)
    content = next(e for e in feed.entries if e.title == story.headline).content[0].value
    assert (
        content.index("First paragraph.")
        < content.index(zeekr.get_absolute_url())
        < content.index("Second paragraph.")
        < content.index("https://example.org/report")
        < content.index("Third paragraph.")
    )


def test_the_chooser_dialog_is_accessible(newsroom, open_form):
    from playwright.sync_api import expect

    page = open_form(bypass_csp=True)  # to load axe-core
    page.add_script_tag(path=str(AXE))
    cursor_in(page, "First paragraph.")
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    results(page)
    violations = page.evaluate("async () => (await axe.run('.desk-dialog')).violations")
    assert violations == [], violations
    page.get_by_label("An outside page").check()
    violations = page.evaluate("async () => (await axe.run('.desk-dialog')).violations")
    assert violations == [], violations
    # Keyboard: the search box, then the results with the arrow keys; Escape closes it.
    page.get_by_label("One of our articles").check()
    page.get_by_label("Search our articles by headline or number").fill("zeekr")
    results(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.article") == str(newsroom.zeekr.pk)
    page.keyboard.press("Escape")
    expect(page.locator(".desk-dialog")).to_have_count(0)
    expect(body_editor(page)).to_be_focused()


# Paste ------------------------------------------------------------------------------------


def test_paste_from_google_docs_keeps_the_structure_and_drops_the_styles(
    newsroom, open_form, console_errors
):
    page = open_form()
    empty_body(page)
    paste(page, (CLIPBOARD / "google_docs.html").read_text())
    html = body_html(page)
    assert "style=" not in html
    assert "docs-internal-guid" not in html
    assert html.count("<strong>") == 4  # the word in bold and the table's header row
    assert blocks(html) == [
        "Battery makers race to cut costs",
        "Sodium-ion cells are cheaper than lithium cells, analysts say, according to a new report.",
        "What changes for buyers",
        "Lower prices for city cars From 2027 in Europe Better range in the cold",
        "Pilot line opens Mass production follows",
        "Chemistry · Cost per kWh · Range",
        "Sodium-ion · $77 · 250 km",
        "Lithium iron phosphate · $95 · 400 km",
        "Prices are for packs ordered in 20261.",
    ]
    assert html.startswith("<h2>Battery makers race to cut costs</h2><p>Sodium-ion cells are ")
    assert "<strong>cheaper</strong> than lithium cells, <em>analysts say</em>" in html
    assert '<a href="https://example.org/report">new report</a>' in html
    assert "<h3>What changes for buyers</h3>" in html
    assert (
        "<ul><li><p>Lower prices for city cars</p>"
        "<ul><li><p>From 2027 in Europe</p></li></ul></li>"
        "<li><p>Better range in the cold</p></li></ul>"
    ) in html
    assert re.search(
        r"<ol[^>]*><li><p>Pilot line opens</p></li><li><p>Mass production follows</p></li></ol>",
        html,
    )
    assert "<p><strong>Chemistry</strong> · <strong>Cost per kWh</strong>" in html
    assert "2026<sup>1</sup>." in html
    assert not policy_errors(console_errors), console_errors


def test_paste_from_word_makes_real_lists_headings_and_quotes(newsroom, open_form, console_errors):
    page = open_form()
    empty_body(page)
    paste(page, (CLIPBOARD / "word.html").read_text())
    html = body_html(page)
    # Word's markup, its bullets typed as text ("·", "o") and its padding go.
    for leftover in ["style=", "class=", "Mso", "mso-", "o:p", "<p>·", "<p>o", "&nbsp;", "lang="]:
        assert leftover not in html, leftover
    assert blocks(html) == [
        "Geely backs a solid-state start-up",
        "The carmaker said on Monday that it would invest in the company, which makes "
        "solid-state cells, and that the first packs would reach test cars next year.",
        "What the deal covers",
        "A minority stake worth about $200 million A seat on the board",
        "Timeline",
        "Pilot line in 2027 Series production in 2029",
        "“This is the chemistry that will decide the next decade,” the chief executive said.",
        "Year · Cells",
        "2027 · 10,000",
        "Shares rose 4% in Hong Kong.",
    ]
    # Word's Title above its Heading 1 and Heading 2: the body's three levels.
    assert "<h2>Geely backs a solid-state start-up</h2>" in html
    assert "<h3>What the deal covers</h3>" in html
    assert "<h4>Timeline</h4>" in html
    assert "makes <strong>solid-state cells</strong>" in html
    assert "<em>test cars</em>" in html
    assert (
        "<ul><li><p>A minority stake</p><ul><li><p>worth about $200 million</p></li></ul></li>"
        "<li><p>A seat on the board</p></li></ul>"
    ) in html
    assert re.search(
        r"<ol[^>]*><li><p>Pilot line in 2027</p></li><li><p>Series production in 2029</p></li>"
        r"</ol>",
        html,
    )
    assert "<blockquote><p>“This is the chemistry" in html
    assert not policy_errors(console_errors), console_errors


def test_paste_within_the_editor_keeps_its_own_markers(newsroom, open_form):
    """Cut and paste inside the body carries its SEE ALSO boxes and images (markers named by
    data- attributes) through the clean-up."""
    zeekr = newsroom.zeekr
    page = open_form()
    empty_body(page)
    paste(
        page,
        '<p data-pm-slice="1 1 []">Before.</p><figure data-image="7" class="x"></figure>'
        f'<div data-see-also="{zeekr.pk}" data-title="{zeekr.headline}"></div><p>After.</p>',
    )
    html = body_html(page)
    assert '<figure data-image="7"' in html
    assert blocks(html) == ["Before.", "", f"SEE ALSO {zeekr.pk}", "After."]


def test_paste_from_a_web_page_keeps_only_what_the_body_allows(newsroom, open_form):
    page = open_form()
    empty_body(page)
    paste(
        page,
        '<h1 class="title">Headline</h1><div>Line one</div><div>Line <span '
        'style="font-weight: bold">two</span></div><p><a href="javascript:alert(1)">bad</a> '
        '<a href="#section">anchor</a> <a href="https://www.google.com/url?q=https://example.org'
        '/a&amp;sa=D">redirect</a> <a href="mailto:desk@example.org">mail</a></p>'
        "<p>&nbsp;</p><script>alert(1)</script><button>Share</button>",
    )
    html = body_html(page)
    assert blocks(html) == ["Headline", "Line one", "Line two", "bad anchor redirect mail"]
    assert html.startswith("<h2>Headline</h2><p>Line one</p><p>Line <strong>two</strong></p>")
    assert '<a href="https://example.org/a">redirect</a>' in html
    assert '<a href="mailto:desk@example.org">mail</a>' in html
    assert "javascript" not in html and "#section" not in html and "Share" not in html


# The link dialog --------------------------------------------------------------------------


def test_the_link_dialog_links_our_articles_by_their_address_and_checks_web_addresses(
    newsroom, open_form, console_errors
):
    from playwright.sync_api import expect

    zeekr, draft = newsroom.zeekr, newsroom.draft
    page = open_form()
    editor = body_editor(page)
    # A word selected, linked to one of our articles found by headline.
    select_first_word(page, "Second paragraph.")
    page.get_by_role("button", name="insert link").click()
    dialog = page.get_by_role("dialog", name="Add a link")
    dialog.get_by_label(re.compile("Link to one of our articles")).fill("zeekr wagon")
    dialog.locator(".desk-picker__result", has_text=zeekr.headline).click()
    expect(dialog).to_be_hidden()
    path = zeekr.get_absolute_url()
    assert f'<p><a href="{path}">Second</a> paragraph.</p>' in body_html(page)

    # A draft has no address yet: it is shown, but cannot be chosen.
    cursor_in(page, "Third paragraph.")
    page.get_by_role("button", name="insert link").click()
    dialog.get_by_label(re.compile("Link to one of our articles")).fill("recycling")
    unavailable = dialog.locator(".desk-picker__result", has_text=draft.headline)
    expect(unavailable).to_be_disabled()
    expect(unavailable).to_contain_text("no address until it is published")
    # Nothing selected: the article's headline goes in, linked.
    dialog.get_by_label(re.compile("Link to one of our articles")).fill("")
    dialog.locator(".desk-picker__result", has_text=zeekr.headline).click()
    assert f'Third paragraph.<a href="{path}">{zeekr.headline}</a></p>' in body_html(page)

    # A web address: only http, https and mailto; a bare domain gets https://.
    select_first_word(page, "First paragraph.")
    page.keyboard.press("Control+k")
    address = dialog.get_by_label("Web address (https://…, mailto:…)")
    address.fill("javascript:alert(1)")
    dialog.get_by_role("button", name="Add the link").click()
    expect(dialog).to_be_visible()
    assert address.evaluate("input => input.validationMessage").startswith("Enter an address")
    address.fill("example.org/report")
    address.press("Enter")
    expect(dialog).to_be_hidden()
    assert '<a href="https://example.org/report">First</a>' in body_html(page)

    # An existing link: its address is shown; it can be changed or removed.
    editor.get_by_role("link", name="First").click()
    page.get_by_role("button", name="insert link").click()
    edit = page.get_by_role("dialog", name="Edit the link")
    expect(edit.get_by_label("Web address (https://…, mailto:…)")).to_have_value(
        "https://example.org/report"
    )
    edit.get_by_role("button", name="Remove the link").click()
    assert "<p>First paragraph.</p>" in body_html(page)
    assert not console_errors, console_errors


# Writing comfort and the form -------------------------------------------------------------


def test_word_count_follows_the_typing_once_it_pauses_and_spellcheck_is_on(
    newsroom, open_form, console_errors
):
    from playwright.sync_api import expect

    page = open_form()
    editor = body_editor(page)
    assert editor.get_attribute("spellcheck") == "true"
    count = page.locator(".desk-word-count")
    expect(count).to_have_text("6 words · 1 min read")
    assert count.get_attribute("role") == "status"  # a polite live region
    count.evaluate(
        """output => {
            window.wordCountChanges = 0;
            new MutationObserver(() => window.wordCountChanges++).observe(
                output, { childList: true, characterData: true, subtree: true });
        }"""
    )
    cursor_in(page, "Third paragraph.")
    page.keyboard.type(" One two three four five six seven eight nine ten.")
    expect(count).to_have_text("16 words · 1 min read")
    # Told when typing paused, not at each of its 50 keystrokes (twice, were a slow machine to
    # pause mid-sentence for a second).
    assert page.evaluate("window.wordCountChanges") <= 2
    # SEE ALSO boxes are not the story's words; 700 words read in about three minutes.
    choose_article(page, "zeekr", newsroom.zeekr.headline)
    set_content = "(dom, html) => dom.editor.commands.setContent(html, { emitUpdate: true })"
    editor.evaluate(set_content, "<p>" + "word " * 700 + "</p>")
    expect(count).to_have_text("700 words · 3 min read")
    editor.evaluate(set_content, "")
    expect(count).to_have_text("0 words")
    assert not console_errors, console_errors


def test_the_form_gives_headline_and_dek_the_editors_width_and_keeps_within_the_page(
    newsroom, open_form
):
    story = newsroom.story
    for number in range(3):
        make_article(f"Linked story {number}")
    story.related_links.create(url="https://example.org/" + "long-path/" * 30, title="A" * 200)
    page = open_form()
    editor_width = page.locator(".prose-editor").bounding_box()["width"]
    for field in ["#id_headline", "#id_dek"]:
        width = page.locator(field).bounding_box()["width"]
        assert abs(width - editor_width) < 2, (field, width, editor_width)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    group = page.locator("#related_links-group")
    box = group.bounding_box()
    assert box["x"] + box["width"] <= 1440


def test_the_body_editor_is_the_same_on_a_new_article(newsroom, browser, console_errors):
    """The add form has no article yet: the chooser offers every article, the counts start at
    nothing."""
    from playwright.sync_api import expect

    page = signed_in(browser, newsroom.base, "edna").new_page()
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(newsroom.base + reverse("admin:articles_article_add"))
    body_editor(page).wait_for()
    expect(page.locator(".desk-word-count")).to_have_text("0 words")
    body_editor(page).click()
    page.get_by_role("button", name="Add a SEE ALSO box").click()
    assert newsroom.story.headline in results(page)
    assert not console_errors, console_errors
