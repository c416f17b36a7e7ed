"""SEE ALSO boxes in the body: the marker, its sanitising, the links that follow it, and how
readers see it."""

import pytest
from django.core.exceptions import ValidationError

from articles.body import body_blocks, insert_markers, read_markers
from articles.models import Article, RelatedLink
from articles.sanitize import clean_html
from tests.factories import link, make_article

pytestmark = pytest.mark.django_db


def box(key, title=""):
    extra = f' data-title="{title}"' if title else ""
    return f'<div data-see-also="{key}"{extra}></div>'


def page_of(article):
    return Article.objects.with_everything().get(pk=article.pk)


# The sanitiser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # Content and stray attributes go; the title stays for the save to read.
        (
            '<div data-see-also="12" data-title="A &amp; B" data-state="draft" class="x" '
            'onclick="alert(1)">text<b>bold</b></div>',
            '<div data-see-also="12" data-title="A &amp; B"></div>',
        ),
        # Nested markers: the outer one stands, the inner one is dropped.
        ('<div data-see-also="12"><div data-see-also="13"></div></div>', box(12)),
        # Not at the top level: unwrapped, the text kept.
        (
            '<blockquote><div data-see-also="14">Quoted</div></blockquote>',
            "<blockquote>Quoted</blockquote>",
        ),
        ('<ul><li><div data-see-also="14"></div>Item</li></ul>', "<ul><li>Item</li></ul>"),
        # Names nothing we link to.
        ('<div data-see-also="javascript:alert(1)"></div><p>a</p>', "<p>a</p>"),
        ('<div data-see-also="0"></div><p>a</p>', "<p>a</p>"),
        ('<div data-see-also="-3"></div><p>a</p>', "<p>a</p>"),
        ('<div data-see-also="ftp://example.org/x"></div><p>a</p>', "<p>a</p>"),
        ('<div data-see-also=""></div><p>a</p>', "<p>a</p>"),
        # Any other div is unwrapped, its text kept.
        ('<div class="docs">Pasted</div>', "Pasted"),
        # A leading zero names the same article.
        ('<div data-see-also="007"></div>', box(7)),
    ],
)
def test_the_sanitiser_keeps_only_well_formed_markers(dirty, clean):
    assert clean_html(dirty) == clean


def test_markers_are_read_in_order_with_their_titles():
    html = clean_html(
        f"<p>One</p>{box(5)}<p>Two</p>{box('https://example.org/a?b=1&amp;c=2', 'Report')}"
    )
    markers = read_markers(html)
    assert [(m.key, m.article_id, m.url, m.title) for m in markers] == [
        ("5", 5, "", ""),
        ("https://example.org/a?b=1&c=2", None, "https://example.org/a?b=1&c=2", "Report"),
    ]


def test_insert_markers_counts_blocks_and_keeps_their_order():
    html = insert_markers("<p>1</p><p>2</p>", [(1, "5"), (1, "6"), (0, "7"), (9, "8")])
    assert [block.see_also or block.html for block in body_blocks(html)] == [
        "7", "<p>1</p>", "5", "6", "<p>2</p>", "8",
    ]  # fmt: skip


# Saving: the links follow the markers --------------------------------------------------------


def test_saving_a_body_with_boxes_makes_their_links_and_keeps_the_body_plain():
    target = make_article("Target story")
    article = make_article(
        "Citing", body=f"<p>One</p>{box(target.pk, 'Stale title')}<p>Two</p>"
        f"{box('https://example.org/r', 'The report')}"
    )  # fmt: skip

    links = {(row.target_article_id, row.url, row.title) for row in article.related_links.all()}
    assert links == {(target.pk, "", ""), (None, "https://example.org/r", "The report")}
    # The stored body only places the links; titles live in the rows.
    assert article.body == (
        f'<p>One</p>\n{box(target.pk)}\n<p>Two</p>\n<div data-see-also="https://example.org/r">'
        "</div>"
    )


def test_moving_paragraphs_moves_the_box_with_them():
    target = make_article("Target story")
    article = make_article("Citing", body=f"<p>A</p>{box(target.pk)}<p>B</p>")
    article.body = f"<p>New first</p><p>A</p>{box(target.pk)}<p>B</p><p>New last</p>"
    article.save()

    parts, end = page_of(article).body_with_links()
    assert [part.html or part.links[0].display_title for part in parts] == [
        "<p>New first</p>", "<p>A</p>", "Target story", "<p>B</p>", "<p>New last</p>",
    ]  # fmt: skip
    assert end == []


def test_removing_a_box_removes_its_link_and_leaves_the_end_links():
    placed, kept = make_article("Placed"), make_article("At the end")
    article = make_article("Citing", body=f"<p>A</p>{box(placed.pk)}<p>B</p>")
    link(article, kept, position=5)

    article.body = "<p>A</p><p>B</p>"
    article.save()

    assert [row.target_article for row in article.related_links.all()] == [kept]


def test_an_outside_box_takes_its_new_title_and_keeps_it_when_saved_without_one():
    article = make_article("Citing", body=f"<p>A</p>{box('https://example.org/r', 'First')}")
    article.body = f"<p>A</p>{box('https://example.org/r', 'Second')}"
    article.save()
    assert RelatedLink.objects.get().title == "Second"

    article.body = f"<p>A</p>{box('https://example.org/r')}"  # as stored: no title
    article.save()
    assert RelatedLink.objects.get().title == "Second"


def test_a_box_for_an_end_link_places_that_link_instead_of_a_second_one():
    target = make_article("Target")
    article = make_article("Citing", body="<p>A</p>")
    end_link = link(article, target)
    article.body = f"<p>A</p>{box(target.pk)}"
    article.save()
    assert list(article.related_links.all()) == [end_link]
    parts, end = page_of(article).body_with_links()
    assert [p.links for p in parts][1] == [end_link] and end == []


def test_saving_skips_boxes_for_missing_articles_and_for_itself():
    article = make_article("Citing")
    article.body = f"<p>A</p>{box(999999)}{box(article.pk)}"
    article.save()  # a save in code is never refused: nothing to link
    assert not article.related_links.exists()
    parts, _ = page_of(article).body_with_links()
    assert [part.html for part in parts] == ["<p>A</p>"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{box_self}", "cannot point to this article itself"),
        ("{box_missing}", "which no longer exists"),
        ("{box_target}<p>x</p>{box_target}", "is in the text twice"),
        ('<div data-see-also="https://example.org/x"></div>', "a title"),
    ],
)
def test_validation_says_what_is_wrong_with_a_box(body, message):
    target = make_article("Target story")
    article = make_article("Citing")
    article.body = body.format(
        box_self=box(article.pk), box_missing=box(999999), box_target=box(target.pk)
    )
    article.body = clean_html(article.body)
    with pytest.raises(ValidationError) as raised:
        article.full_clean()
    assert message in " ".join(raised.value.message_dict["body"])


# Readers -------------------------------------------------------------------------------------


def test_two_inline_boxes_are_two_distinct_landmarks(client):
    first, second = make_article("First target"), make_article("Second target")
    article = make_article(
        "Citing", body=f"<p>One</p>{box(first.pk)}<p>Two</p>{box(second.pk)}<p>Three</p>"
    )
    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count('class="see-also see-also--inline"') == 2
    assert 'aria-label="See also: First target"' in page
    assert 'aria-label="See also: Second target"' in page
    order = [page.index(text) for text in ("One", "First target", "Two", "Second target", "Three")]
    assert order == sorted(order)
    assert "data-see-also" not in page


def test_adjacent_boxes_join_and_a_hidden_target_shows_nowhere(client):
    first, second = make_article("First target"), make_article("Second target")
    draft = make_article("Draft target", live=False)
    article = make_article(
        "Citing", body=f"<p>One</p>{box(first.pk)}{box(second.pk)}{box(draft.pk)}<p>Two</p>"
    )
    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count('class="see-also see-also--inline"') == 1
    assert "First target" in page and "Second target" in page
    assert "Draft target" not in page
    assert "see-also--end" not in page  # placed in the text, so not repeated at the end

    draft.publish()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Draft target" in page


def test_a_marker_of_another_article_link_shows_nothing(client):
    """A marker whose link this article does not have (a body copied from another story, or
    written around the desk) renders nothing, and never another article's link."""
    other_target = make_article("Other target")
    other = make_article("Other", body="<p>x</p>")
    link(other, url="https://example.org/secret", title="Secret")
    article = make_article("Citing", body="<p>A</p>")
    Article.objects.filter(pk=article.pk).update(
        body=f"<p>A</p>{box(other_target.pk)}{box('https://example.org/secret')}"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Other target" not in page and "Secret" not in page
    assert "see-also" not in page
