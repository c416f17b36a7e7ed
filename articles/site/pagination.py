"""Reader lists page by cursor: "Newer stories" and "Older stories", not page numbers.

A page number costs a COUNT(*) of every match (for "page 3 of 40") and an OFFSET that reads and
throws away every row before the page, so page 500 is 500 times the work of page 1; and a story
published between two page loads moves every later page by one, so a reader sees a story twice
or misses one. A cursor names the story at the edge of a page, by its place in the list order,
`(published_at, id)`: `?before=<cursor>` is the stories older than it, `?after=<cursor>` those
newer than it. Each page reads `PAGE_SIZE + 1` rows from the list index (the extra row says
whether there is more), at any depth, and new stories never move an older page.

The cursor reads `20261125T175120.123456Z_123`: the publish time in UTC to the microsecond, and
the id. A malformed cursor, both at once, a cursor past the end, or the old `?page=` answer 404.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.http import Http404

PAGE_SIZE = 20
BEFORE, AFTER = "before", "after"
_CURSOR = re.compile(r"(\d{8}T\d{6}\.\d{6})Z_([1-9]\d{0,17})")
_TIME = "%Y%m%dT%H%M%S.%f"


@dataclass
class ListPage:
    """One page of a list: its rows, and the query strings of this page and its neighbours
    (None where there is none). `query` is empty on a list's first page."""

    object_list: list
    query: dict = field(default_factory=dict)
    newer: dict | None = None
    older: dict | None = None

    @property
    def is_first(self):
        return not self.query

    def has_other_pages(self):
        return bool(self.newer or self.older)


def cursor(article):
    return f"{article.published_at.astimezone(UTC).strftime(_TIME)}Z_{article.pk}"


def read_cursor(value):
    """(published_at, id) of a cursor; Http404 for anything else."""
    match = _CURSOR.fullmatch(value)
    if not match:
        raise Http404("Not a page of this list.")
    try:
        when = datetime.strptime(match[1], _TIME).replace(tzinfo=UTC)
    except ValueError:
        raise Http404("Not a page of this list.") from None
    return when, int(match[2])


def _one(params, name):
    values = params.getlist(name)
    if len(values) > 1:
        raise Http404("Not a page of this list.")
    return read_cursor(values[0]) if values else None


def keyset_page(queryset, params, size=PAGE_SIZE):
    """The page of `queryset` (newest first, by published_at then id) that the request's
    `params` ask for."""
    if "page" in params:
        raise Http404("Lists page by cursor (?before=), not by number.")
    before, after = _one(params, BEFORE), _one(params, AFTER)
    if before and after:
        raise Http404("Not a page of this list.")
    if after:
        when, pk = after
        newer = queryset.filter(published_at__gte=when).exclude(published_at=when, pk__lte=pk)
        rows = list(newer.order_by("published_at", "pk")[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            return ListPage(
                rows,
                query={AFTER: params[AFTER]},
                newer={BEFORE: None, AFTER: cursor(rows[0])},
                older={BEFORE: cursor(rows[-1]), AFTER: None},
            )
        # Fewer than a page of newer stories: the reader is back at the top of the list.
    if before:
        when, pk = before
        older = queryset.filter(published_at__lte=when).exclude(published_at=when, pk__gte=pk)
        rows = list(older[: size + 1])
        if not rows:
            raise Http404("No stories before this one.")
        query = {BEFORE: params[BEFORE]}
        newer = {BEFORE: None, AFTER: cursor(rows[0])}
    else:
        rows, query, newer = list(queryset[: size + 1]), {}, None
    more = len(rows) > size
    rows = rows[:size]
    older = {BEFORE: cursor(rows[-1]), AFTER: None} if more else None
    return ListPage(rows, query=query, newer=newer, older=older)


class KeysetPaginationMixin:
    """For a ListView or a date archive view of articles, newest first: pages by cursor, with
    `page_obj` a ListPage and no Paginator."""

    paginate_by = PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(queryset, self.request.GET, page_size)
        return None, page, page.object_list, page.has_other_pages()
