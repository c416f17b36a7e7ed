import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import link, make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def public_urls(twins):
    return [
        reverse("site:home"),
        reverse("site:latest"),
        twins.section.get_absolute_url(),
        twins.tag.get_absolute_url(),
        twins.author.get_absolute_url(),
        twins.live.get_absolute_url(),
        reverse("search:search") + "?q=twin+or+live",
        reverse(
            "site:archive_month",
            args=[twins.live.published_at.year, twins.live.published_at.month],
        ),
    ]


def test_pages_show_the_live_story_and_nothing_that_is_not_public(client, twins):
    for url in public_urls(twins):
        page = client.get(url).content.decode()
        assert "Live story" in page, url
        for twin in twins.hidden.values():  # SEE ALSO included
            assert twin.headline not in page, (url, twin.headline)


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "unpublished"])
def test_publishing_a_twin_makes_it_appear(client, twins, state):
    twin = twins.hidden[state]
    twin.publish(when=timezone.now())  # now, the scheduled one too
    for url in public_urls(twins):
        assert twin.headline in client.get(url).content.decode(), url


def test_non_public_articles_are_404(client, twins):
    for state, article in twins.hidden.items():
        response = client.get(article.get_absolute_url())
        # A story that was live and is now in the trash is gone for good: 410, not 404.
        assert response.status_code == (410 if state == "trashed" else 404), state
        assert article.headline not in response.content.decode()


def test_article_page_shows_byline_tags_hero_and_links(client):
    author = make_author("Ann Lee")
    article = make_article(
        "The story", dek="What happened.", authors=[author], tags=[make_tag("NIO")]
    )
    link(article, url="https://example.com/report?a=1&b=2", title="The <report>")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert f'<a href="{author.get_absolute_url()}">Ann Lee</a>' in response.content.decode()
    assert "What happened." in response.content.decode()
    assert '<a href="/tags/nio/">NIO</a>' in response.content.decode()
    assert (
        'href="https://example.com/report?a=1&amp;b=2" rel="noopener noreferrer external"'
        in response.content.decode()
    )
    assert "The &lt;report&gt;" in response.content.decode()
    assert (
        f'<link rel="canonical" href="https://news.example.com{article.get_absolute_url()}">'
        in response.content.decode()
    )


def test_old_slug_redirects_permanently(client):
    article = make_article("Old headline")
    article.slug = "new-headline"
    article.save()
    response = client.get("/articles/old-headline/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-headline/"
    article.unpublish()
    assert client.get("/articles/old-headline/").status_code == 404


def test_unknown_section_tag_author_are_404(client):
    for url in ("/sections/nope/", "/tags/nope/", "/authors/nope/", "/articles/nope/"):
        assert client.get(url).status_code == 404


def test_preview_is_404_for_anonymous(client, twins):
    for article in twins.hidden.values():
        assert client.get(reverse("site:preview", args=[article.pk])).status_code == 404


def _grow(article, n):
    """Give an article n authors, n tags and n SEE ALSO links."""
    for i in range(n):
        author = make_author()
        article.bylines.create(author=author, position=i + 1)
        article.tags.add(make_tag())
        link(article, make_article(), after=i % 3, position=i)


@pytest.mark.parametrize("page", ["detail", "list"])
def test_query_count_does_not_grow_with_related_rows(query_count, page):
    section = make_section()
    small = make_article(section=section, authors=[make_author()], tags=[make_tag()])
    link(small, make_article(section=section))

    def url():
        return small.get_absolute_url() if page == "detail" else section.get_absolute_url()

    few = query_count(url())
    _grow(small, 19)
    for _ in range(19):
        make_article(section=section, authors=[make_author()], tags=[make_tag(), make_tag()])
    assert query_count(url()) == few


def test_security_headers_and_csp(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "nonce" not in policy  # no inline script on public pages
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_reader_pages_may_be_cached_briefly_but_previews_never(client, editor_client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    draft = make_article(live=False)
    preview = editor_client.get(reverse("site:preview", kwargs={"pk": draft.pk}))
    assert "public" not in preview["Cache-Control"]
    assert "no-cache" in preview["Cache-Control"] and "private" in preview["Cache-Control"]


def test_favicon_ico_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
