import pytest
from django.urls import reverse

from articles.search.backends import SearchResults
from articles.search.query import QueryProblem, to_fts5
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def headlines(query):
    return [hit.article.headline for hit in SearchResults(query)[0:20]]


def test_headline_match_ranks_above_body_match():
    make_article("Quarterly results", body="<p>Sales of the sodium battery grew.</p>" * 3)
    make_article("Sodium battery plant opens", body="<p>A new plant opened today.</p>")
    make_article("Dek only", dek="The sodium battery is cheap.", body="<p>Nothing here.</p>")
    assert headlines("sodium battery") == [
        "Sodium battery plant opens",
        "Dek only",
        "Quarterly results",
    ]


def test_tags_are_searched():
    make_article("Quiet story", tags=[make_tag("Robotaxi")])
    assert headlines("robotaxi") == ["Quiet story"]


def test_tag_rename_reaches_the_index():
    tag = make_tag("Lidar")
    make_article("Sensor story", tags=[tag])
    tag.name = "Radar"
    tag.save()
    assert headlines("radar") == ["Sensor story"]
    assert headlines("lidar") == []


def test_edits_reach_the_index():
    article = make_article("Old words", body="<p>Nothing.</p>")
    article.body = "<p>Now about solid-state cells.</p>"
    article.save()
    assert headlines("solid-state") == ["Old words"]


def test_web_search_syntax():
    make_article("Battery swap stations", body="<p>NIO swaps.</p>")
    make_article("Swap of battery suppliers", body="<p>Xiaomi deal.</p>")
    make_article("Robotaxi permits", body="<p>Baidu.</p>")
    assert headlines('"battery swap"') == ["Battery swap stations"]
    assert sorted(headlines("battery -xiaomi")) == ["Battery swap stations"]
    assert sorted(headlines("robotaxi or xiaomi")) == [
        "Robotaxi permits",
        "Swap of battery suppliers",
    ]


def test_only_public_articles_are_found():
    make_article("Visible charging story")
    make_article("Hidden charging story", live=False)
    assert headlines("charging") == ["Visible charging story"]


def test_snippets_highlight_and_escape():
    make_article(
        "Chips", body="<p>Tariffs &amp; <strong>export</strong> rules &lt;hit&gt; chipmakers.</p>"
    )
    hit = SearchResults("export")[0:1][0]
    assert "<mark>export</mark>" in hit.snippet
    assert "&amp;" in hit.snippet and "&lt;hit&gt;" in hit.snippet
    assert "<strong>" not in hit.snippet


@pytest.mark.parametrize(
    "query, advice",
    [("", "Type one or more words"), ("   ", "Type one or more words"),
     ("x" * 201, "too long"), ("?!... --- ***", "punctuation alone"),
     ("-tesla", "at least one word")],
)  # fmt: skip
def test_odd_queries_get_advice(query, advice):
    with pytest.raises(QueryProblem, match=advice):
        SearchResults(query).count()


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "NEAR(a b)", "a AND OR NOT", "col:value", "^start", "a*", "(", '"" ""', "😀 电池",
     "'; DROP TABLE articles_article; --", "\x00null"],
)  # fmt: skip
def test_hostile_queries_never_fail(client, query):
    make_article("Battery story")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


def test_fts5_translation_quotes_every_term():
    assert to_fts5('battery "solid state" -phone or tablet') == (
        '"battery" AND ("solid state" OR "tablet") NOT ("phone")'
    )


def test_search_page_shows_results_and_advice(client):
    make_article("Sodium battery plant opens")
    page = client.get(SEARCH, {"q": "sodium"}).content.decode()
    assert "1 story found" in page and "Sodium battery plant opens" in page
    assert 'name="robots" content="noindex' in page
    assert "Type one or more words" not in client.get(SEARCH).content.decode()
    assert "too long" in client.get(SEARCH, {"q": "word " * 60}).content.decode()
    assert "punctuation alone" in client.get(SEARCH, {"q": "!!!"}).content.decode()


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999"])
def test_bad_search_pages_show_the_nearest_page(client, page):
    for number in range(3):
        make_article(f"Charging story {number}")
    response = client.get(SEARCH, {"q": "charging", "page": page})
    assert response.status_code == 200
    assert len(response.context["hits"]) == 3


def test_search_query_count_is_fixed(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_article("Charging one", tags=[make_tag()])
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "charging"})
    for number in range(19):
        make_article(f"Charging {number}", tags=[make_tag(), make_tag()])
    with CaptureQueriesContext(connection) as many:
        client.get(SEARCH, {"q": "charging"})
    assert len(many) == len(few)


def test_deleted_articles_leave_the_index():
    from django.db import connection

    article = make_article("Short-lived charging story", tags=[make_tag()])
    pk = article.pk
    article.delete()
    assert headlines("charging") == []
    column = "article_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM articles_search WHERE {column} = %s", [pk])  # noqa: S608
        assert cursor.fetchone()[0] == 0
