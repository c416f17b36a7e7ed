"""SEE ALSO boxes at the desk: the change form shows each box with its target's current
headline, the end list holds only the links placed nowhere, a box and a row never name the
same link, and the unsaved preview and the feeds show boxes where they stand."""

import pytest
from django.urls import reverse

from articles.models import Article, RelatedLink
from tests.desk.test_admin import ADD_URL, article_data, form_errors
from tests.factories import link, make_article, make_author
from tests.syndication.reading import entries

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def box(key, title=""):
    extra = f' data-title="{title}"' if title else ""
    return f'<div data-see-also="{key}"{extra}></div>'


@pytest.fixture
def citing():
    """A draft with a box for a live story, a box for a draft, an outside box, and one link
    at the end."""
    live, draft = make_article("Live target"), make_article("Draft target", live=False)
    article = make_article(
        "Citing story",
        live=False,
        authors=[make_author("Li Wei")],
        body=(
            f"<p>One.</p>{box(live.pk)}<p>Two.</p>{box(draft.pk)}"
            f"{box('https://example.org/r', 'The report')}<p>Three.</p>"
        ),
    )
    link(article, make_article("End target"), position=9)
    live.headline = "Live target, renamed"
    live.save()
    return article


def test_the_form_labels_each_box_with_its_target_as_it_is_now(editor_client, citing):
    live = Article.objects.get(headline="Live target, renamed")
    draft = Article.objects.get(headline="Draft target")
    form = editor_client.get(change_url(citing)).context["adminform"].form

    body = form.initial["body"]
    assert box(live.pk, "Live target, renamed") in body
    assert f'<div data-see-also="{draft.pk}" data-title="Draft target" data-state="draft">' in body
    assert box("https://example.org/r", "The report") in body
    # The end list: only the link placed nowhere in the text.
    formset = editor_client.get(change_url(citing)).context["inline_admin_formsets"][1].formset
    assert [f.instance.target_article.headline for f in formset.forms] == ["End target"]


def test_saving_the_form_unchanged_keeps_every_link(editor_client, citing):
    before = set(RelatedLink.objects.values_list("target_article", "url", "title"))
    response = editor_client.post(change_url(citing), article_data(citing))
    assert response.status_code == 302, form_errors(response)
    assert set(RelatedLink.objects.values_list("target_article", "url", "title")) == before


def test_a_row_for_a_link_that_is_in_the_text_is_a_form_error(editor_client, citing):
    live = Article.objects.get(headline="Live target, renamed")
    data = article_data(citing, links=[{"target_article": live.pk}])
    response = editor_client.post(change_url(citing), data)
    assert response.status_code == 200
    assert "placed in the text as a SEE ALSO box" in str(form_errors(response))


def test_a_box_without_a_title_for_an_outside_link_is_a_form_error(editor_client, author):
    data = article_data(
        headline="No title", slug="no-title", authors=[author],
        body='<p>One.</p><div data-see-also="https://example.org/new"></div>',
    )  # fmt: skip
    response = editor_client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "Give the SEE ALSO link to https://example.org/new a title." in str(
        form_errors(response)["body"]
    )
    assert not Article.objects.filter(slug="no-title").exists()


@pytest.fixture
def author():
    return make_author("Ana Costa")


def test_the_unsaved_preview_shows_a_new_box_where_it_stands(editor_client, citing):
    new_target = make_article("Brand new target")
    data = article_data(
        citing,
        body=f"<p>One.</p><p>Inserted.</p>{box(new_target.pk, 'x')}<p>Two.</p>"
        f"{box('https://example.org/new', 'New outside')}",
    )
    page = editor_client.post(
        reverse("desk:preview_unsaved", args=[citing.pk]), data
    ).content.decode()

    order = [page.index(t) for t in ("Inserted.", "Brand new target", "Two.", "New outside")]
    assert order == sorted(order)
    assert "Live target" not in page  # its box was taken out of the text
    assert not RelatedLink.objects.filter(target_article=new_target).exists()  # nothing saved


def test_feeds_show_each_box_between_the_same_paragraphs(client):
    first, second = make_article("First target"), make_article("Second target")
    make_article(
        "Citing story",
        body=f"<p>Alpha.</p>{box(first.pk)}<p>Beta.</p>{box('https://example.org/r', 'Out')}"
        f"<p>Gamma.</p>",
    )
    link(Article.objects.get(headline="Citing story"), second, position=5)

    for url in ("/feed/", "/feed/atom/", "/feed.json"):
        entry = next(e for e in entries(client.get(url)) if e["title"] == "Citing story")
        content = entry["content"]
        order = [
            content.index(text)
            for text in ("Alpha.", "First target", "Beta.", "Out", "Gamma.", "Second target")
        ]
        assert order == sorted(order), url
        assert "data-see-also" not in content
        assert f'{first.get_absolute_url()}"' in content


def test_a_live_story_reads_as_readers_read_it_not_as_html(editor_client):
    target = make_article("Target story")
    live = make_article(
        "Live story", body=f"<p>First &amp; <em>one</em>.</p>{box(target.pk)}<p>Second.</p>"
    )
    page = editor_client.get(change_url(live)).content.decode()

    assert "&lt;p&gt;" not in page and "data-see-also" not in page
    assert "First &amp; <em>one</em>." in page
    assert (
        f'<strong>SEE ALSO:</strong>\n    <a href="{target.get_absolute_url()}">Target story</a>'
        in (page)
    )
