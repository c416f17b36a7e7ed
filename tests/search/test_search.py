import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.search import views as search_views
from articles.search.backends import SearchResults
from articles.search.query import QueryProblem, to_fts5
from tests.factories import make_article, make_author, make_tag

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


def test_snippets_read_as_text():
    make_article(
        "Chips",
        body="<p>Tariffs&nbsp;&amp; <em>export</em> rules</p><p>hit chipmakers.</p>",
    )
    snippet = SearchResults("export")[0:1][0].snippet
    assert "Tariffs &amp; <mark>export</mark> rules hit chipmakers" in snippet
    assert "nbsp" not in snippet and "<em>" not in snippet


def test_snippets_show_written_entities_as_written():
    # The reader sees "&amp;" on the page: the snippet must not decode it a second time.
    make_article("HTML lessons", body="<p>For an ampersand, type &amp;amp; in the source.</p>")
    snippet = SearchResults("ampersand")[0:1][0].snippet
    assert "type &amp;amp; in the source" in snippet


@pytest.mark.parametrize(
    "query",
    ['"marks & spencer"', "marks spencer", "supercharger", "video", "canvas", "flash"],
)
def test_text_is_searched_as_readers_read_it(query):
    """Entities decoded, tags gone even inside a word, and text shaped like a tag is words."""
    make_article(
        "Why <video> beat Flash",
        body="<p>Marks &amp; Spencer fund a super<strong>charger</strong> network.</p>"
        "<p>Browsers draw &lt;canvas&gt; natively.</p>",
    )
    assert headlines(query) == ["Why <video> beat Flash"]


@pytest.mark.parametrize("query", ["amp", "lt", "gt", "strong", "nbsp"])
def test_markup_is_not_searched(query):
    make_article("Retail", body="<p>Marks &amp; <strong>Spencer</strong>&nbsp;&lt;3&gt;.</p>")
    assert headlines(query) == []


def test_equal_ranks_list_the_newest_article_first():
    articles = [make_article("Charging story", body="<p>Same words.</p>") for _ in range(3)]
    hits = SearchResults("charging")[0:20]
    assert len({hit.rank for hit in hits}) == 1
    assert [hit.article.pk for hit in hits] == sorted((a.pk for a in articles), reverse=True)


def test_pages_share_one_ranking():
    for number in range(23):
        make_article(f"Charging story {number}", body=f"<p>{'charging ' * (number % 5)}</p>")
    results = SearchResults("charging", page=2)
    assert results.count() == 23
    hits = results[0:20] + results[20:40]
    assert len({hit.article.pk for hit in hits}) == 23
    assert [hit.rank for hit in hits] == sorted((hit.rank for hit in hits), reverse=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranking")
def test_postgres_ranking_is_the_weighted_ts_rank():
    make_article("Battery swap stations", dek="A battery a minute.", body="<p>NIO swaps.</p>")
    make_article("Swap of suppliers", body="<p>A battery deal, and a battery plant.</p>")
    make_article("Cells", dek="Battery makers.", tags=[make_tag("Battery")])
    make_article("Xiaomi battery", body="<p>Excluded.</p>")
    make_article("Hidden battery story", live=False)
    # The ranking as SQL: matches of the whole query, ranked without the excluded words.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id, ts_rank('{0.02, 0.05, 0.4, 1.0}', document, "
            "websearch_to_tsquery('english', %s), 1) AS rank FROM articles_search "
            "WHERE document @@ websearch_to_tsquery('english', %s) "
            "ORDER BY rank DESC, article_id DESC",
            ["battery", "battery -xiaomi"],
        )
        public = set(Article.objects.public().values_list("pk", flat=True))
        expected = [row for row in cursor.fetchall() if row[0] in public]
    hits = SearchResults("battery -xiaomi")[0:20]
    assert len(expected) == 3
    assert [(hit.article.pk, hit.rank) for hit in hits] == expected


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


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999", "01", "1.5", "٣", "26"])
def test_bad_search_pages_are_404(client, page):
    for number in range(3):
        make_article(f"Charging story {number}")
    response = client.get(SEARCH, {"q": "charging", "page": page})
    assert response.status_code == 404


def test_search_pages_by_number_to_a_clean_404_past_the_end(client):
    for number in range(23):
        make_article(f"Charging story {number}")
    first = client.get(SEARCH, {"q": "charging"})
    assert "23 stories found" in first.content.decode()
    assert len(first.context["hits"]) == 20
    assert first.context["page_obj"].older == {"page": 2}
    second = client.get(SEARCH, {"q": "charging", "page": "2"})
    assert [hit.article for hit in second.context["hits"]] == [
        hit.article for hit in SearchResults("charging")[20:23]
    ]
    assert second.context["start_index"] == 21
    assert 'rel="prev" href="?q=charging"' in second.content.decode()
    assert second.context["page_obj"].older is None
    assert client.get(SEARCH, {"q": "charging", "page": "3"}).status_code == 404


def test_search_goes_no_deeper_than_its_last_page(client, monkeypatch):
    monkeypatch.setattr(search_views, "MAX_PAGES", 2)
    for number in range(41):
        make_article(f"Charging story {number}")
    last = client.get(SEARCH, {"q": "charging", "page": "2"})
    assert last.context["page_obj"].older is None
    assert "These are the best 40 matches" in last.content.decode()
    assert client.get(SEARCH, {"q": "charging", "page": "3"}).status_code == 404


@pytest.mark.parametrize("found", [1, 20])
def test_search_page_query_count(client, django_assert_num_queries, found):
    for number in range(found):
        make_article(f"Charging {number}", authors=[make_author()], tags=[make_tag(), make_tag()])
    # The ranked page with the number of matches, its snippets, the articles, their bylines,
    # and the sections for the navigation: the same five, however many hits.
    with django_assert_num_queries(5):
        response = client.get(SEARCH, {"q": "charging"})
    assert len(response.context["hits"]) == found


def test_deleted_articles_leave_the_index():
    article = make_article("Short-lived charging story", tags=[make_tag()])
    pk = article.pk
    article.delete()
    assert headlines("charging") == []
    column = "article_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM articles_search WHERE {column} = %s", [pk])  # noqa: S608
        assert cursor.fetchone()[0] == 0
