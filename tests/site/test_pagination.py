"""Reader lists page by cursor: every story once, in order, while stories are published
between page loads; later pages cost what the first does; bad cursors are 404s."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.site.pagination import PAGE_SIZE, cursor
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

LISTS = ["home", "latest", "section", "tag", "author", "year", "month"]


@pytest.fixture
def shelf():
    """45 live stories in one section, tag and author, a minute apart within this month (two of
    them at the same moment, so that the id decides their order), and a draft."""
    section, tag, author = make_section(), make_tag(), make_author()
    start = timezone.now().replace(day=1, hour=0, minute=1, second=0, microsecond=0)
    stories = [
        make_article(
            f"Shelf story {number}",
            section=section,
            tags=[tag],
            authors=[author],
            published_at=start + timedelta(minutes=min(number, 43)),
        )  # fmt: skip
        for number in range(45)
    ]
    make_article("Shelf draft", live=False, section=section, tags=[tag], authors=[author])
    urls = {
        "home": reverse("site:home"),
        "latest": reverse("site:latest"),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "year": reverse("site:archive_year", args=[start.year]),
        "month": reverse("site:archive_month", args=[start.year, start.month]),
    }
    newest_first = sorted(stories, key=lambda a: (a.published_at, a.pk), reverse=True)
    return urls, newest_first, section, tag, author


def read_all(client, url, follow="older"):
    """Every page from `url` on, following the Older (or Newer) links: the stories in order."""
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.context["page_obj"]
        assert len(page.object_list) <= PAGE_SIZE
        seen += [article.pk for article in page.object_list]
        link = getattr(page, follow)
        url = (response.request["PATH_INFO"] + "?" + urlencode(filtered(link))) if link else None
        pages += 1
    return seen, pages


def filtered(query):
    return {name: value for name, value in query.items() if value is not None}


@pytest.mark.parametrize("name", LISTS)
def test_each_list_shows_every_story_once_in_order(client, shelf, name):
    urls, newest_first, *_ = shelf
    seen, pages = read_all(client, urls[name])
    assert seen == [article.pk for article in newest_first]
    assert pages == 3


def test_newer_links_lead_back_to_the_top(client, shelf):
    urls, newest_first, *_ = shelf
    last = f"{urls['latest']}?before={cursor(newest_first[39])}"
    response = client.get(last)
    assert [a.pk for a in response.context["articles"]] == [a.pk for a in newest_first[40:]]
    middle = client.get(
        f"{urls['latest']}?{urlencode(filtered(response.context['page_obj'].newer))}"
    )
    assert [a.pk for a in middle.context["articles"]] == [a.pk for a in newest_first[20:40]]
    top = client.get(f"{urls['latest']}?{urlencode(filtered(middle.context['page_obj'].newer))}")
    # Fewer than a page of newer stories left: the first page itself, with its address.
    assert [a.pk for a in top.context["articles"]] == [a.pk for a in newest_first[:20]]
    assert top.context["page_obj"].is_first and top.context["page_obj"].newer is None
    assert '<link rel="canonical" href="https://news.example.com/latest/">' in top.content.decode()


def test_links_and_canonical_address_of_a_later_page(client, shelf):
    urls, newest_first, *_ = shelf
    first = client.get(urls["latest"]).content.decode()
    older = f"?before={cursor(newest_first[19])}"
    assert f'<a rel="next" href="{older}">' in first and 'rel="prev"' not in first
    second = client.get(urls["latest"] + older).content.decode()
    assert f'<link rel="canonical" href="https://news.example.com/latest/{older}">' in second
    assert f'<a rel="prev" href="?after={cursor(newest_first[20])}">' in second
    assert f'<a rel="next" href="?before={cursor(newest_first[39])}">' in second
    assert "(older stories, from" in second


def test_stories_published_between_page_loads_move_no_page(client, shelf):
    urls, newest_first, section, tag, author = shelf
    first = client.get(urls["section"])
    for number in range(5):
        make_article(f"Breaking {number}", section=section, tags=[tag], authors=[author])
    rest, _ = read_all(
        client, urls["section"] + "?" + urlencode(filtered(first.context["page_obj"].older))
    )
    seen = [a.pk for a in first.context["articles"]] + rest
    assert seen == [article.pk for article in newest_first]


def test_a_later_page_costs_the_queries_of_the_first(query_count, shelf):
    urls, newest_first, *_ = shelf
    deep = {"before": cursor(newest_first[39])}
    for name in ["latest", "section", "tag", "author", "year", "month"]:
        assert query_count(urls[name], deep) == query_count(urls[name]), name
    # The front page's lead and section blocks are on its first page only.
    assert query_count(urls["home"], deep) < query_count(urls["home"])


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {"page": "2"},
        {"page": "1"},
        {"before": "yesterday"},
        {"before": "20261325T000000.000000Z_1"},
        {"before": "20260101T000000.000000Z_0"},
        {"before": "20260101T000000.000000Z_01"},
        {"before": "20260101T000000Z_1"},
        {"before": "20260101T000000.000000Z_1\x00"},
        {"before": "20260101T000000.000000Z_" + "9" * 19},
        {"after": ""},
        {"before": "20000101T000000.000000Z_1"},  # past the end
    ],
)
def test_bad_or_exhausted_cursors_are_404(client, shelf, name, query):
    urls, *_ = shelf
    assert client.get(urls[name], query).status_code == 404


def test_two_cursors_are_404(client, shelf):
    urls, newest_first, *_ = shelf
    at = cursor(newest_first[5])
    assert client.get(f"{urls['latest']}?before={at}&after={at}").status_code == 404
    assert client.get(f"{urls['latest']}?before={at}&before={at}").status_code == 404


def test_a_list_with_one_page_has_no_links(client):
    make_article()
    page = client.get(reverse("site:latest")).content.decode()
    assert 'class="pagination"' not in page
