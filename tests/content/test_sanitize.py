import pytest

from articles.models import RelatedLink, Tag
from articles.sanitize import clean_html, clean_text
from tests.factories import link, make_article

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onclick="alert(1)">div</div>',
    '<object data="evil.swf"></object>',
    '<form action="https://evil.example"><input name="x"></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<base href='https://evil.example/'>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<style>body{display:none}</style>",
]
DANGEROUS = ["<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "<iframe",
             "<svg", "<object", "<form", "<style", "<base", "<meta http-equiv",
             "style="]  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_body_payloads_never_reach_the_page(client, payload):
    article = make_article(body=f"<p>Before</p>{payload}<p>After</p>")
    article.refresh_from_db()
    body = article.body.lower()
    for marker in DANGEROUS:
        assert marker not in body, (payload, marker)
    page = client.get(article.get_absolute_url()).content.decode().lower()
    story = page[page.index('class="story__body"') :]
    for marker in DANGEROUS:
        assert marker not in story, (payload, marker)


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_plain_text_fields_are_escaped_on_the_page(client, payload):
    article = make_article(headline=f"Headline {payload}", dek=f"Dek {payload}")
    article.tags.add(Tag.objects.create(name=f"Tag {payload}"[:100]))
    target = make_article()
    link(article, url="https://example.com/", title=f"Title {payload}")
    link(article, target, position=1)
    page = client.get(article.get_absolute_url()).content.decode()
    # Whatever was typed shows as text: no element from it reaches the page.
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_link_url_rejects_script_schemes():
    article = make_article()
    for url in ("javascript:alert(1)", "data:text/html,hi", "vbscript:x", "//evil.example"):
        candidate = RelatedLink(article=article, url=url, title="x")
        with pytest.raises(Exception):  # noqa: B017, PT011 (ValidationError from full_clean)
            candidate.full_clean()


def test_safe_markup_survives():
    html = (
        '<h2>Sub</h2><p>A <strong>bold</strong> <a href="https://example.com/">link</a>.</p>'
        "<blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>"
    )
    cleaned = clean_html(html)
    for part in ("<h2>Sub</h2>", "<strong>bold</strong>", "<blockquote>", "<li>One</li>"):
        assert part in cleaned
    assert 'href="https://example.com/"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_empty_editor_document_becomes_empty():
    assert clean_html("<p></p>") == ""
    assert clean_html("<p><br></p>") == ""


def test_clean_text_removes_control_characters_and_keeps_unicode():
    assert clean_text("比亚迪\x00 &  <b>\x0b  🚗 ") == "比亚迪 & <b> 🚗"
