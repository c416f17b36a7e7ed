"""Full-text search over public articles: PostgreSQL's text search, or SQLite's FTS5.

Both read the index that articles' migrations 0003 and 0007 (and, for SQLite,
`articles.search.index`) keep current from each article's `body_text`. Ranking favours the
headline over the dek and tags, and those over the body.
"""

import html
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Func, TextField, Window
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article

from .models import SearchDocument
from .query import check_query, to_fts5, without_exclusions

# Highlight markers that cannot occur in text, swapped for <mark> after escaping.
_START, _STOP = "\x02", "\x03"


@dataclass
class Hit:
    article: Article
    rank: float
    snippet: str


def _highlight(text):
    return mark_safe(  # noqa: S308 (escaped first; only our markers become tags)
        escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def _public_ids_sql():
    sql, params = Article.objects.public().order_by().values("pk").query.sql_with_params()
    return sql, list(params)


class SearchResults:
    """A sliceable list of hits, for Django's Paginator.

    Each page of hits comes with the number of all hits (a window count), so the page a reader
    asked for costs one ranking pass: `count()` fetches that page, and slicing reuses it.
    """

    def __init__(self, query, *, page=1, per_page=20):
        self.query = check_query(query)
        self._count = None
        self._expected = (max(page - 1, 0) * per_page, per_page)
        self._fetched = {}
        if connection.vendor == "postgresql":
            self._backend = _PostgresSearch(self.query)
        else:
            self._backend = _SqliteSearch(self.query)

    def count(self):
        if self._count is None:
            offset, limit = self._expected
            rows, total = self._fetch(limit, offset)
            # Past the end no row carries the total: count on its own then.
            self._count = total if total is not None else self._backend.count()
        return self._count

    def _fetch(self, limit, offset):
        # The paginator may ask for a shorter slice of the page already fetched (the last one).
        for (fetched_limit, fetched_offset), (rows, total) in self._fetched.items():
            inside = fetched_offset <= offset and (offset + limit <= fetched_offset + fetched_limit)
            if inside:
                start = offset - fetched_offset
                return rows[start : start + limit], total
        self._fetched[limit, offset] = self._backend.page(limit, offset)
        return self._fetched[limit, offset]

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        offset = item.start or 0
        limit = (item.stop - offset) if item.stop is not None else self.count() - offset
        rows, _ = self._fetch(max(limit, 0), offset)
        articles = Article.objects.for_lists().in_bulk([row[0] for row in rows])
        return [
            Hit(article=articles[pk], rank=rank, snippet=_highlight(snippet))
            for pk, rank, snippet in rows
            if pk in articles
        ]


def _with_snippets(rows, snippets_for):
    """(pk, rank, snippet) for a page of (pk, rank, total) rows, and the total.

    Snippets only for this page: building one costs far more than ranking.
    """
    if not rows:
        return [], None
    snippets = snippets_for([pk for pk, _, _ in rows])
    return [(pk, rank, snippets.get(pk, "")) for pk, rank, _ in rows], rows[0][2]


# FTS5's MATCH, bm25() and snippet() have no ORM counterpart: this side stays hand-written.
class _SqliteSearch:
    def __init__(self, query):
        self.match = to_fts5(query)

    def _matches(self):
        """Matches with their rank, found by FTS5 first: materialised, so that SQLite does not
        instead walk every public article and test the match one row at a time."""
        public_sql, params = _public_ids_sql()
        # bm25 weights per column: headline, dek, tags, body. Lower bm25 is better.
        return (
            "WITH m AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608 (our SQL only)
            "-bm25(articles_search, 10.0, 4.0, 4.0, 1.0) AS rank "
            "FROM articles_search WHERE articles_search MATCH %s) "
            f"SELECT {{columns}} FROM m WHERE m.id IN ({public_sql})",
            [self.match, *params],
        )

    def count(self):
        sql, params = self._matches()
        with connection.cursor() as cursor:
            cursor.execute(sql.format(columns="count(*)"), params)
            return cursor.fetchone()[0]

    def page(self, limit, offset):
        sql, params = self._matches()
        with connection.cursor() as cursor:
            cursor.execute(
                sql.format(columns="id, rank, count(*) OVER ()")
                + " ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
        return _with_snippets(rows, self._snippets)

    def _snippets(self, ids):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet(articles_search, 3, '{_START}', '{_STOP}', '…', 28) "  # noqa: S608
                "FROM articles_search WHERE articles_search MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [self.match, *ids],
            )
            return dict(cursor.fetchall())


class _Escaped(Func):
    """Plain text as PostgreSQL's parser must read it, as the index does (migration 0007)."""

    function = "articles_search_escape"
    output_field = TextField()


def _websearch(query):
    return SearchQuery(query, search_type="websearch", config="english")


class _PostgresSearch:
    # Weights for D, C (body), B (dek, tags), A (headline); normalisation 1 divides by
    # 1 + log(length), so long bodies do not win by size alone.
    WEIGHTS = [0.02, 0.05, 0.4, 1.0]

    def __init__(self, query):
        self.query = _websearch(query)
        # ts_rank scores a negated query poorly: rank by the words looked for alone.
        self.rank_query = _websearch(without_exclusions(query))

    def _matches(self):
        return SearchDocument.objects.filter(
            document=self.query, article__in=Article.objects.public()
        )

    def count(self):
        return self._matches().count()

    def page(self, limit, offset):
        rank = SearchRank(F("document"), self.rank_query, weights=self.WEIGHTS, normalization=1)
        rows = (
            self._matches()
            .annotate(rank=rank, total=Window(Count("*")))
            .order_by("-rank", "-article_id")
            .values_list("article_id", "rank", "total")[offset : offset + limit]
        )
        return _with_snippets(list(rows), self._snippets)

    def _snippets(self, ids):
        headline = SearchHeadline(
            _Escaped("body_text"),
            self.query,
            config="english",
            start_sel=_START,
            stop_sel=_STOP,
            max_words=40,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        snippets = Article.objects.filter(pk__in=ids).order_by().values_list("pk", headline)
        # Undo the escaping that the parser needed; _highlight escapes for the page.
        return {pk: html.unescape(snippet) for pk, snippet in snippets}
