"""Revisions at the desk: every save kept, read, compared with any other version, restored."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.body import insert_markers
from articles.desk.revisions import changes_since
from articles.models import Article, RelatedLink, Revision, Tag
from tests.factories import link as add_link
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The network opened in Hefei.</p>"
    "<p>The quick brown fox jumps over the lazy dog.</p>"
    "<p>Prices fell by a tenth.</p>"
    "<p>Analysts expect more stations next year.</p>"
)


# Helpers -------------------------------------------------------------------------------------


def placed(body, blocks_before, target_pk):
    """`body` with a SEE ALSO box for our article `target_pk` after that many blocks."""
    return insert_markers(body, [(blocks_before, str(target_pk))])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revision_url(revision):
    return reverse("admin:articles_revision_change", args=[revision.pk])


def compare_url(one, other):
    return reverse("admin:articles_revision_compare", args=[one.pk, other.pk])


def previous_url(revision):
    return reverse("admin:articles_revision_compare_previous", args=[revision.pk])


def restore_url(revision):
    return reverse("admin:articles_revision_restore", args=[revision.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def split_time(name, value):
    local = timezone.localtime(value) if value else None
    return {
        f"{name}_0": f"{local:%Y-%m-%d}" if local else "",
        f"{name}_1": f"{local:%H:%M:%S}" if local else "",
    }


def inline(prefix, rows):
    """An inline formset as the admin posts it: rows with an "id" exist already."""
    rows = [row for row in rows if "id" in row] + [row for row in rows if "id" not in row]
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": sum("id" in row for row in rows),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(rows):
        data |= {f"{prefix}-{number}-{key}": value for key, value in row.items()}
    return data


def reuse_rows(article, existing, wanted, key):
    """Inline rows that turn `existing` rows into `wanted` values: a row whose key is wanted is
    kept, other rows are reused for new values, and the rest are deleted (as an editor would,
    so that no unique constraint trips over a row that is about to go)."""
    wanted_keys = {key(value) for value in wanted}
    kept = {key(row): row for row in existing if key(row) in wanted_keys}
    spare = [row for row in existing if key(row) not in wanted_keys]
    rows = []
    for position, value in enumerate(wanted):
        row = kept.get(key(value)) or (spare.pop(0) if spare else None)
        rows.append({**({"id": row.pk, "article": article.pk} if row else {}), **value})
        rows[-1]["position"] = position
    rows += [{"id": row.pk, "article": article.pk, "DELETE": "on"} for row in spare]
    return rows


def form_data(article, *, authors=None, links=None, tags=None, **fields):
    """The change form of `article` as it stands, posted back with `fields` changed; `authors`
    (in byline order), `links` (dicts of link fields) and `tags` replace the article's own."""
    article = Article.objects.get(pk=article.pk)
    data = {
        name: getattr(article, name)
        for name in (
            "headline", "slug", "dek", "body", "hero_alt", "hero_caption", "hero_credit",
            "seo_title", "seo_description",
        )
    }  # fmt: skip
    data |= {
        "section": article.section_id or "",
        "tags": [tag.pk for tag in (article.tags.all() if tags is None else tags)],
        "new_tags": "",
        "desk_note": "",
        "edit_version": article.version,
    }
    published_at = fields.pop("published_at", article.published_at)
    expires_at = fields.pop("expires_at", article.expires_at)
    data |= split_time("published_at", published_at) | split_time("expires_at", expires_at)
    if fields.pop("featured", article.featured):
        data["featured"] = "on"
    data |= fields

    bylines = list(article.bylines.all())
    if authors is None:
        authors = [line.author for line in bylines]
    data |= inline(
        "bylines",
        reuse_rows(
            article,
            bylines,
            [{"author": author.pk} for author in authors],
            key=lambda row: row["author"] if isinstance(row, dict) else row.author_id,
        ),
    )
    # The closing block's links: those placed in the text travel in the body.
    existing_links = list(article.related_links.not_placed_in(article.body))
    if links is None:
        links = [
            {
                "target_article": link.target_article_id or "",
                "url": link.url,
                "title": link.title,
            }
            for link in existing_links
        ]
    wanted_links = [link_row(link) for link in links]
    data |= inline(
        "related_links",
        reuse_rows(
            article,
            existing_links,
            wanted_links,
            key=lambda row: (
                (row["target_article"], row["url"])
                if isinstance(row, dict)
                else (row.target_article_id or "", row.url)
            ),
        ),
    )
    data |= inline(
        "revisions", [{"id": rev.pk, "article": article.pk} for rev in article.revisions.all()]
    )
    return data


def link_row(link):
    target = link.get("target_article")
    return {
        "target_article": getattr(target, "pk", target) or "",
        "url": link.get("url", ""),
        "title": link.get("title", ""),
    }


def save(client, article, **changes):
    """Save the article's change form with `changes`; return the revision the save kept."""
    response = client.post(change_url(article), form_data(article, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    return Article.objects.get(pk=article.pk).revisions.order_by("-version").first()


def state(article):
    """What a restore brings back, as it is in the database now."""
    article = Article.objects.get(pk=article.pk)
    return {
        "headline": article.headline,
        "dek": article.dek,
        "body": article.body,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "section": article.section_id,
        "authors": list(article.bylines.values_list("author_id", flat=True)),
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "links": list(article.related_links.values_list("target_article", "url", "title")),
    }


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def story():
    """A scheduled story (published, going live tomorrow: the desk edits it in place) with
    everything filed: section, two authors, tags, two SEE ALSO links."""
    target = make_article("Swap stations pass 3,000", slug="swap-stations")
    article = make_article(
        "Battery swaps go nationwide",
        slug="swaps-nationwide",
        published_at=timezone.now() + timedelta(days=1),
        dek="The network doubles in a year.",
        body=BODY,
        section=make_section("Batteries"),
        authors=[make_author("Li Wei"), make_author("Ana Costa")],
        tags=[make_tag("Charging"), make_tag("NIO")],
        seo_title="Battery swaps nationwide",
        seo_description="The swap network doubles.",
    )
    add_link(article, target, after=2, position=0)  # a box in the text, after paragraph 2
    add_link(article, url="https://example.org/report", title="The full report", position=1)
    article.refresh_from_db()
    return article


@pytest.fixture
def versions(editor_client, story):
    """Two saves through the change form: version one as filed, then an edited version two
    (a word changed in paragraph 2, a paragraph 3 inserted, the last paragraph removed, and
    its headline, section, byline, tags and links changed)."""
    first = save(editor_client, story)
    li_wei, ana_costa = (line.author for line in story.bylines.all())
    second = save(
        editor_client,
        story,
        headline="Battery swaps go nationwide, at last",
        body=(
            "<p>The network opened in Hefei.</p>"
            "<p>The slow brown fox jumps over the lazy dog.</p>"
            "<p>A new paragraph about the winter.</p>"
            "<p>Prices fell by a tenth.</p>"
        ),
        section=make_section("Cars").pk,
        authors=[ana_costa, make_author("Sam Park")],
        tags=[Tag.objects.get(name="NIO"), make_tag("Winter")],
        links=[{"url": "https://example.org/report", "title": "The full report"}],
    )
    return first, second


# 1. Every save keeps the whole article -------------------------------------------------------


def test_saving_the_form_keeps_the_whole_article(editor_client, editor, story):
    expires = timezone.now() + timedelta(days=30)

    revision = save(editor_client, story, featured=True, expires_at=expires)

    story.refresh_from_db()
    data = revision.data
    assert (revision.user, revision.action, revision.version) == (editor, "Saved", story.version)
    assert revision.created_at <= timezone.now()
    assert {name: data[name] for name in ("headline", "slug", "dek", "body")} == {
        "headline": "Battery swaps go nationwide",
        "slug": "swaps-nationwide",
        "dek": "The network doubles in a year.",
        "body": placed(BODY, 2, story.related_links.get(url="").target_article_id),
    }
    assert (data["status"], data["featured"]) == ("published", True)
    assert data["published_at"] == story.published_at.isoformat()
    assert data["expires_at"] == story.expires_at.isoformat()
    assert (data["section"], data["section_name"]) == (story.section_id, "Batteries")
    assert data["author_names"] == ["Li Wei", "Ana Costa"]
    assert data["authors"] == [line.author_id for line in story.bylines.all()]
    assert data["tags"] == ["Charging", "NIO"]
    assert (data["seo_title"], data["seo_description"]) == (
        "Battery swaps nationwide",
        "The swap network doubles.",
    )
    assert {name: data[name] for name in ("hero_image", "hero_alt")} == {
        "hero_image": "",
        "hero_alt": "",
    }
    internal, outside = data["related_links"]
    assert internal["target_headline"] == "Swap stations pass 3,000"
    assert "after_paragraph" not in internal and internal["url"] == ""
    assert (outside["url"], outside["title"], outside["target_article"]) == (
        "https://example.org/report",
        "The full report",
        None,
    )


def test_the_importer_keeps_a_revision_of_each_story(tmp_path):
    (tmp_path / "a.txt").write_text("Swap stations pass 3,000\n\nOne.\n")
    (tmp_path / "b.txt").write_text(
        "Battery swaps go nationwide\n\nOne.\n\nSEE ALSO: Swap stations pass 3,000\n\nTwo.\n"
    )

    call_command("import_stories", str(tmp_path), stdout=StringIO())

    linking = Article.objects.get(headline="Battery swaps go nationwide")
    imported = list(linking.revisions.order_by("version"))
    assert [(r.version, r.action, r.user) for r in imported] == [
        (1, "Imported", None),
        (2, "Imported", None),
    ]
    assert imported[0].data["related_links"] == []
    assert imported[1].data["related_links"][0]["target_headline"] == "Swap stations pass 3,000"
    assert linking.version == 2
    other = Article.objects.get(headline="Swap stations pass 3,000")
    assert list(other.revisions.values_list("action", flat=True)) == ["Imported"]


# 2. A readable revision ----------------------------------------------------------------------


def test_a_revision_reads_like_the_article(editor_client, writer_client, story):
    target = story.related_links.get(url="").target_article_id
    story.body = placed(
        "<p>Plain <em>emphasised</em> words &amp; more.</p><p>Second.</p>", 1, target
    )
    story.save()
    revision = save(editor_client, story)

    for client in (editor_client, writer_client):
        response = client.get(revision_url(revision))
        assertContains(response, "<label>Headline:</label>", html=True)
        assertContains(
            response,
            '<ol class="revision-snapshot__paragraphs">'
            "<li>Plain emphasised words &amp; more.</li>"
            "<li>SEE ALSO: Swap stations pass 3,000</li><li>Second.</li></ol>",
            html=True,
        )
        assertNotContains(response, "<em>emphasised</em>")
        assertContains(response, '<div class="readonly">Batteries</div>', html=True)
        assertContains(response, "<ul><li>Li Wei</li><li>Ana Costa</li></ul>", html=True)
        assertContains(response, "<li>Charging</li>", html=True)
        assertContains(
            response,
            "<li>Swap stations pass 3,000 → https://news.example.com/articles/swap-stations/ "
            "(in the text)</li>",
            html=True,
        )
        assertContains(
            response, "<li>The full report → https://example.org/report (at the end)</li>"
        )
        assertContains(response, '<div class="readonly">Published</div>', html=True)
        for raw in ("section_name", "seo_title", "<pre>"):
            assertNotContains(response, raw)


def test_a_revision_kept_with_ids_only_still_shows_names(editor_client, story):
    """Revisions kept before names were stored beside ids."""
    old = Revision.objects.create(
        article=story,
        version=1,
        data={
            "headline": "Old",
            "body": "<p>Old.</p>",
            "status": "draft",
            "section": story.section_id,
            "authors": [line.author_id for line in story.bylines.all()],
            "tags": ["Charging"],
            "related_links": [
                {"target_article": link.target_article_id, "url": "", "title": "", "position": 0}
                for link in story.related_links.filter(target_article__isnull=False)
            ],
        },
    )

    response = editor_client.get(revision_url(old))

    assertContains(response, '<div class="readonly">Batteries</div>', html=True)
    assertContains(response, "<li>Li Wei</li>", html=True)
    assertContains(response, "Swap stations pass 3,000 → https://news.example.com/articles/")


# 3. Comparing --------------------------------------------------------------------------------


def test_compare_shows_the_body_paragraph_by_paragraph(editor_client, versions):
    first, second = versions

    response = editor_client.get(compare_url(first, second))

    assert response.status_code == 200
    assertContains(
        response,
        '<p class="revision-diff__paragraph revision-diff__paragraph--changed">'
        "<strong>Paragraph 2 changed:</strong> The <del>quick</del> <ins>slow</ins> brown fox "
        "jumps over the lazy dog.</p>",
        html=True,
    )
    assertContains(
        response,
        '<p class="revision-diff__paragraph revision-diff__paragraph--added">'
        "<strong>Paragraph 3 added:</strong> <ins>A new paragraph about the winter.</ins></p>",
        html=True,
    )
    # The SEE ALSO box reads as reporters file it, with its target's headline.
    assertContains(
        response,
        '<p class="revision-diff__paragraph revision-diff__paragraph--removed">'
        "<strong>Paragraph 3 removed:</strong> <del>SEE ALSO: Swap stations pass 3,000</del></p>",
        html=True,
    )
    assertContains(
        response,
        '<p class="revision-diff__paragraph revision-diff__paragraph--removed">'
        "<strong>Paragraph 5 removed:</strong> <del>Analysts expect more stations next year."
        "</del></p>",
        html=True,
    )
    # Unchanged paragraphs are not repeated; the headline is marked word by word.
    assertNotContains(response, "The network opened in Hefei.")
    assertContains(
        response,
        "<p>Battery swaps go <del>nationwide</del> <ins>nationwide, at last</ins></p>",
        html=True,
    )


def test_compare_shows_section_authors_tags_and_links(editor_client, versions):
    first, second = versions

    # The order of the two versions in the address does not matter.
    response = editor_client.get(compare_url(second, first))

    assertContains(response, "<p><del>Batteries</del> → <ins>Cars</ins></p>", html=True)
    assertContains(response, "<li>Removed: <del>Li Wei</del></li>", html=True)
    assertContains(response, "<li>Added: <ins>Sam Park</ins></li>", html=True)
    assertContains(response, "<li>Removed: <del>Charging</del></li>", html=True)
    assertContains(response, "<li>Added: <ins>Winter</ins></li>", html=True)
    assertNotContains(response, "<ins>NIO</ins>")
    assertContains(
        response,
        "<li>Removed: <del>Swap stations pass 3,000 → "
        "https://news.example.com/articles/swap-stations/ (in the text)</del></li>",
        html=True,
    )
    assertNotContains(response, "<ins>The full report")


def test_compare_shows_status_times_and_moved_links(editor_client):
    draft = make_article("Draft story", live=False, authors=[make_author()])
    draft.related_links.create(url="https://example.org/a", title="A", position=0)
    draft.related_links.create(url="https://example.org/b", title="B", position=1)
    first = save(editor_client, draft)
    # A moves from the end into the text; B stays at the end.
    second = save(
        editor_client,
        draft,
        _workflow="publish",
        body='<p>One.</p><div data-see-also="https://example.org/a"></div><p>Two.</p>',
        links=[{"url": "https://example.org/b", "title": "B"}],
    )

    response = editor_client.get(compare_url(first, second))

    assertContains(response, "<p><del>Draft</del> → <ins>Published</ins></p>", html=True)
    assertContains(response, "<dt>Publish time</dt>", html=True)
    assertContains(
        response,
        "<li>Changed: <del>A → https://example.org/a (at the end)</del> → "
        "<ins>A → https://example.org/a (in the text)</ins></li>",
        html=True,
    )
    assert RelatedLink.objects.filter(url="https://example.org/a").exists()  # moved, not lost


def test_compare_never_shows_markup_from_the_body(editor_client, story):
    first = save(editor_client, story)
    second = save(
        editor_client,
        story,
        body="<p>Write &lt;script&gt;alert(1)&lt;/script&gt; as <strong>text</strong>.</p>",
    )

    response = editor_client.get(compare_url(first, second))

    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<strong>text</strong>")


def test_compare_with_the_previous_version_from_the_article_page(editor_client, versions):
    first, second = versions

    page = editor_client.get(change_url(first.article))
    assertContains(page, f'<a href="{previous_url(second)}">compare with previous</a>', html=True)

    response = editor_client.get(previous_url(second))
    assert response.context["older"] == first
    assertContains(response, "<ins>slow</ins>", html=True)
    # The article is at the second version already: only the first is offered to restore.
    assertContains(response, restore_url(first))
    assertNotContains(response, restore_url(second))

    response = editor_client.get(previous_url(first))
    assertContains(response, "is the first version kept of this article")


def test_the_version_picker_leads_to_the_compare_page(editor_client, versions):
    first, second = versions

    response = editor_client.get(previous_url(second), {"with": first.pk})

    assert response.status_code == 302
    assert response.url == compare_url(second, first)
    assert editor_client.get(previous_url(second), {"with": "x"}).status_code == 404


def test_comparing_revisions_of_two_articles_is_not_found(editor_client, story):
    mine = save(editor_client, story)
    other = save(editor_client, make_article("Another story", live=False, authors=[make_author()]))

    assert editor_client.get(compare_url(mine, other)).status_code == 404
    assert editor_client.get(compare_url(mine, Revision(pk=999_999))).status_code == 404


def test_only_the_desk_compares_revisions(client, versions):
    first, second = versions
    outsider = User.objects.create_user("reader", is_staff=True)
    client.force_login(outsider)

    assert client.get(compare_url(first, second)).status_code == 403
    assert client.get(restore_url(first)).status_code == 403


# The same number of queries for a short story and for one with many paragraphs and rows.
COMPARE_QUERIES = 6


@pytest.mark.parametrize("size", [1, 40])
def test_compare_page_query_count(editor_client, django_assert_num_queries, size):
    article = make_article(
        "Counted",
        live=False,
        body="".join(f"<p>Paragraph {n} says something.</p>" for n in range(size)),
        authors=[make_author() for _ in range(size)],
        tags=[make_tag() for _ in range(size)],
    )
    for n in range(size):
        target = make_article(f"Target {n}")
        article.related_links.create(target_article=target, position=n)
    first = save(editor_client, article)
    second = save(
        editor_client,
        article,
        body=article.body.replace("says", "said"),
        tags=[make_tag() for _ in range(size)],
    )

    with django_assert_num_queries(COMPARE_QUERIES):
        response = editor_client.get(compare_url(first, second))
    assert response.status_code == 200
    assert response.content.decode().count("<ins>said</ins>") == size


def test_changes_since_a_version_and_the_diff_include(editor_client, versions):
    first, second = versions
    article = Article.objects.get(pk=first.article_id)
    article.save()  # a version the desk did not keep a revision of
    unkept = article.version
    third = save(editor_client, article, headline="Swaps everywhere")

    # From the version without a revision: the closest one before it, the second.
    changes = changes_since(article, unkept)

    assert [change.name for change in changes] == ["headline"]
    assert changes_since(article, third.version) == []
    assert [change.name for change in changes_since(article, first.version)][:2] == [
        "headline",
        "body",
    ]
    assert changes_since(article, first.version - 1) is None
    html = render_to_string("admin/articles/revision/diff.html", {"changes": changes})
    assert "<ins>Swaps everywhere</ins>" in html
    assert "No differences." in render_to_string(
        "admin/articles/revision/diff.html", {"changes": []}
    )


# 4. Restoring --------------------------------------------------------------------------------


def test_restore_round_trip(editor_client, editor, versions):
    first, second = versions
    article = first.article
    before = state(article)
    published_at = Article.objects.get(pk=article.pk).published_at

    page = editor_client.get(restore_url(first))
    assertContains(page, "<strong>The article stays", html=False)
    assert state(article) == before  # the confirmation page changes nothing

    response = editor_client.post(restore_url(first))

    assert response.status_code == 302
    assert response.url == change_url(article)
    restored = Article.objects.get(pk=article.pk)
    expected = {name: first.data[name] for name in ("headline", "dek", "body")}
    assert {name: getattr(restored, name) for name in expected} == expected
    assert restored.section_id == first.data["section"]
    assert list(restored.bylines.values_list("author_id", flat=True)) == first.data["authors"]
    assert sorted(restored.tags.values_list("name", flat=True)) == sorted(first.data["tags"])
    assert [
        (link.target_article_id, link.url, link.title) for link in restored.related_links.all()
    ] == [
        (link["target_article"], link["url"], link["title"]) for link in first.data["related_links"]
    ]
    assert (restored.status, restored.published_at) == (Article.Status.PUBLISHED, published_at)
    newest = restored.revisions.order_by("-version").first()
    assert (newest.version, newest.action, newest.note, newest.user) == (
        restored.version,
        "Restored an earlier version",
        f"version {first.version}",
        editor,
    )
    assert Revision.objects.filter(pk=second.pk).exists()
    assert Revision.objects.filter(article=article).count() == 3
    assert LogEntry.objects.filter(
        object_id=str(article.pk), change_message__contains="Restored an earlier version"
    ).exists()
    # Restoring the version in between brings its state back just as well.
    editor_client.post(restore_url(second))
    assert state(article) == before


def test_restoring_onto_a_live_article_goes_into_its_draft_of_changes(client, editor_client):
    article = make_article("Draft headline", live=False, authors=[make_author()])
    draft_version = save(editor_client, article)
    save(editor_client, article, headline="Live headline", _workflow="publish")
    article.refresh_from_db()
    assert article.is_public

    page = editor_client.get(restore_url(draft_version))
    assertContains(page, "Readers keep seeing the live text")
    editor_client.post(restore_url(draft_version))

    article.refresh_from_db()
    assert (article.headline, article.is_public) == ("Live headline", True)
    assertContains(client.get(article.get_absolute_url()), "Live headline")
    pending = Article.objects.get(draft_of=article)
    assert pending.headline == "Draft headline"


def test_a_writer_never_restores_onto_a_published_article(writer_client, editor_client, story):
    first = save(editor_client, story)
    save(editor_client, story, headline="Corrected headline")
    version, count = Article.objects.get(pk=story.pk).version, Revision.objects.count()

    assertNotContains(writer_client.get(revision_url(first)), restore_url(first))
    assert writer_client.get(restore_url(first)).status_code == 403
    assert writer_client.post(restore_url(first)).status_code == 403

    story.refresh_from_db()
    assert (story.headline, story.version) == ("Corrected headline", version)
    assert Revision.objects.count() == count


def test_a_writer_restores_a_draft(writer_client, writer):
    draft = make_article("First try", live=False, authors=[make_author()])
    first = save(writer_client, draft)
    save(writer_client, draft, headline="Second try")

    assertContains(writer_client.get(revision_url(first)), restore_url(first))
    assert writer_client.post(restore_url(first)).status_code == 302

    draft.refresh_from_db()
    assert draft.headline == "First try"
    assert draft.revisions.order_by("-version").first().user == writer


def test_restore_leaves_out_what_no_longer_exists(editor_client, story):
    first = save(editor_client, story)
    old_section = story.section
    li_wei, ana_costa = (line.author for line in story.bylines.all())
    target = story.related_links.get(target_article__isnull=False).target_article
    charging = Tag.objects.get(name="Charging")
    save(
        editor_client,
        story,
        section=make_section("Cars").pk,
        authors=[ana_costa],
        links=[],
        tags=[Tag.objects.get(name="NIO")],
    )
    old_section.delete()
    li_wei.delete()
    target.delete()
    charging.delete()

    response = editor_client.post(restore_url(first))

    assert response.status_code == 302
    said = " ".join(messages_of(response))
    for gone in ("“Batteries”", "“Li Wei”", "“Swap stations pass 3,000”", "“Charging”"):
        assert gone in said
    story.refresh_from_db()
    assert story.section.name == "Cars"
    assert [author.name for author in story.byline] == ["Ana Costa"]
    assert [link.url for link in story.related_links.all()] == ["https://example.org/report"]
    assert list(story.tags.values_list("name", flat=True)) == ["NIO"]
    assert story.revisions.order_by("-version").first().action == "Restored an earlier version"


def test_restore_keeps_the_byline_when_none_of_its_authors_is_left(editor_client, story):
    first = save(editor_client, story)
    authors = [line.author for line in story.bylines.all()]
    newcomer = make_author("New Hire")
    save(editor_client, story, authors=[newcomer])
    for author in authors:
        author.delete()

    response = editor_client.post(restore_url(first))

    assert "the byline stays as it is" in " ".join(messages_of(response))
    assert [author.name for author in Article.objects.get(pk=story.pk).byline] == ["New Hire"]


def test_nothing_is_restored_onto_an_article_in_the_trash(editor_client, story):
    first = save(editor_client, story)
    save(editor_client, story, headline="Later")
    Article.objects.filter(pk=story.pk).update(trashed_at=timezone.now())

    response = editor_client.post(restore_url(first))

    assert response.status_code == 403  # the trash is restored from first, as a whole
    assert Article.objects.get(pk=story.pk).headline == "Later"


def test_restore_needs_the_csrf_token(editor, versions):
    first, second = versions
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.post(restore_url(first)).status_code == 403
    assert Article.objects.get(pk=first.article_id).headline == second.data["headline"]
