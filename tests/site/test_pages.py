"""Reader pages: what each shows, its metadata, and a query count that does not grow."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, BodyImage
from articles.syndication.feeds import feed_path
from articles.syndication.sitemaps import SITEMAPS
from tests.factories import image_upload, link, make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def meta(page, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return match and match.group(1)


@pytest.fixture
def story():
    section = make_section("Electric Vehicles", slug="ev")
    authors = [make_author("Ann Lee"), make_author("Bo Chen")]
    article = make_article(
        "BYD & NIO <ship> more cars",
        dek="Exports rise again.",
        section=section,
        authors=authors,
        tags=[make_tag("BYD"), make_tag("比亚迪")],
        hero_image=image_upload(size=(1600, 900)),
        hero_alt="Car carrier at sea",
        hero_caption="A ship.",
        hero_credit="Newsroom",
    )
    return article


def test_article_json_ld_and_social_tags(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    news, breadcrumbs = json_ld(page)
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == "BYD & NIO <ship> more cars"
    for field in (
        "image",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "mainEntityOfPage",
    ):
        assert news[field], field
    assert news["author"][0]["name"] == "Ann Lee" and len(news["author"]) == 2
    assert news["mainEntityOfPage"]["@id"] == f"https://news.example.com{story.get_absolute_url()}"
    assert news["image"][0].startswith("https://news.example.com/")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Home", "Electric Vehicles", "BYD & NIO <ship> more cars",
    ]  # fmt: skip
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "BYD &amp; NIO &lt;ship&gt; more cars"
    assert meta(page, "og:image").startswith("https://news.example.com/")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "description") == "Exports rise again."
    assert (
        f'<link rel="canonical" href="https://news.example.com{story.get_absolute_url()}">' in page
    )


def test_article_page_shows_byline_times_and_more_in_section(client, story):
    other = make_article("Another EV story", section=story.section)
    Article.objects.filter(pk=story.pk).update(updated_at=timezone.now() + timedelta(hours=3))
    page = client.get(story.get_absolute_url()).content.decode()
    ann, bo = story.byline
    assert (
        f'By <a href="{ann.get_absolute_url()}">Ann Lee</a> and '
        f'<a href="{bo.get_absolute_url()}">Bo Chen</a>'
    ) in page
    assert "Updated <time datetime=" in page
    assert "More in Electric Vehicles" in page and other.headline in page
    assert 'width="1600" height="900"' in page
    assert 'alt="Car carrier at sea"' in page


def test_front_page_has_lead_latest_and_section_blocks(client):
    ev, chips = (
        make_section("EV", slug="ev", position=1),
        make_section("Chips", slug="chips", position=2),
    )
    lead = make_article("Lead story", featured=True, section=ev)
    for number in range(6):
        make_article(f"EV {number}", section=ev)
    make_article("Chip story", section=chips)
    response = client.get("/")
    assert response.context["lead"] == lead
    blocks = response.context["section_blocks"]
    assert [section.slug for section, _ in blocks] == ["ev", "chips"]
    assert len(blocks[0][1]) == 4 and blocks[1][1][0].headline == "Chip story"
    assert 'class="card card--lead"' in response.content.decode()


def test_archive_pages(client):
    old = make_article("Old news", published_at=timezone.now().replace(year=2024, month=3, day=15))
    make_article("Hidden old news", live=False, published_at=old.published_at)
    index = client.get(reverse("site:archive")).content.decode()
    assert 'href="/archive/2024/03/"' in index and "(1 story)" in index
    year = client.get("/archive/2024/").content.decode()
    assert "Old news" in year and "Hidden" not in year
    month = client.get("/archive/2024/03/").content.decode()
    assert "Old news" in month and "Hidden" not in month
    for url in ("/archive/2024/04/", "/archive/1999/", "/archive/2024/13/", "/archive/0000/",
                "/archive/9999/12/", "/archive/2024/03/?page=9"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_author_page_has_bio_and_feed_scope(client):
    author = make_author(
        "Ann Lee", bio="Covers batteries.", photo=image_upload("ann.png", (200, 200))
    )
    make_article("By Ann", authors=[author])
    response = client.get(author.get_absolute_url())
    page = response.content.decode()
    assert "Covers batteries." in page and 'alt="Portrait of Ann Lee"' in page
    assert response.context["feed_scope"] == author


def test_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_500_page_renders_without_context(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html


MOST_QUERIES = 8


def _story(number, section, author, tag, target):
    article = make_article(
        f"Grown {number}", section=section, authors=[author, make_author()],
        tags=[tag, make_tag()], dek="A dek.",
        body=f"<p>Grown.</p>{BodyImage.objects.create(file=image_upload(), alt='A crane').marker}",
    )  # fmt: skip
    link(article, target, after=1)
    link(article, url=f"https://example.com/{number}", title="Outside", position=1)
    return article


def page_urls(section, author, tag, article):
    now = article.published_at
    urls = {
        "home": "/",
        "latest": reverse("site:latest"),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "archive": reverse("site:archive"),
        "year": reverse("site:archive_year", args=[now.year]),
        "month": reverse("site:archive_month", args=[now.year, now.month]),
        "search": reverse("search:search") + "?q=grown",
        "detail": article.get_absolute_url(),
        "sitemap index": reverse("syndication:sitemap_index"),
        "news sitemap": reverse("syndication:news_sitemap"),
    }
    for part in SITEMAPS:
        urls[f"sitemap {part}"] = reverse("syndication:sitemap", kwargs={"section": part})
    for scope in (None, section, tag, author):
        for kind in ("rss", "atom", "json"):
            urls[f"{kind} feed of {scope or 'the site'}"] = feed_path(scope, kind)
    return urls


def test_every_page_type_costs_at_most_eight_queries_for_one_item_or_fifty(query_count):
    """Every page, feed and sitemap: the same queries with one story (one author, tag, link and
    body image each) as with fifty stories, and an article with fifty of each."""
    section, author, tag = make_section(), make_author(), make_tag()
    target = make_article("Target", section=section)
    article = _story(0, section, author, tag, target)
    article.featured = True
    article.save()
    urls = page_urls(section, author, tag, article)
    few = {name: query_count(url) for name, url in urls.items()}

    for number in range(1, 50):
        # A few more sections too: the front page shows a block of each.
        _story(number, section if number % 10 else make_section(), author, tag, target)
        article.bylines.create(author=make_author(), position=number + 1)
        article.tags.add(make_tag())
        link(article, make_article(f"Target {number}", section=section), position=number + 2)
    images = [BodyImage.objects.create(file=image_upload(), alt=f"Image {n}") for n in range(49)]
    article.body += "".join(image.marker for image in images)
    article.save()
    assert article.body_images.count() == 50
    many = {name: query_count(url) for name, url in urls.items()}
    assert many == few
    assert max(few.values()) <= MOST_QUERIES, few
