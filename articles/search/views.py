import re

from django.http import Http404
from django.views.generic import TemplateView

from articles.site.pagination import ListPage

from .backends import SearchResults
from .query import QueryProblem

PAGE_SIZE = 20
# Results are ranked, so they page by number (a cursor by publish time would not follow the
# ranking). Every match is ranked whatever the page, so the number of matches comes with the
# page at no cost; the depth is bounded so that the pages worth reading are all there is.
MAX_PAGES = 25


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context["query"] = query
        number = self.requested_page()
        if not query.strip():
            return context
        try:
            results = SearchResults(query, page=number, per_page=PAGE_SIZE)
        except QueryProblem as problem:
            context["problem"] = str(problem)
            return context
        start = (number - 1) * PAGE_SIZE
        hits = results[start : start + PAGE_SIZE]
        if not hits and number > 1:
            raise Http404("No results on this page.")
        total = results.count() if hits else 0
        more = start + len(hits) < total
        context.update(
            page_obj=ListPage(
                hits,
                query={"page": number} if number > 1 else {},
                newer={"page": number - 1 if number > 2 else None} if number > 1 else None,
                older={"page": number + 1} if more and number < MAX_PAGES else None,
            ),
            hits=hits,
            total=total,
            start_index=start + 1,
            cut_short=more and number == MAX_PAGES,
        )
        return context

    def requested_page(self):
        """The page number asked for: 1 without one; 404 for anything but 1 to MAX_PAGES."""
        values = self.request.GET.getlist("page")
        if not values:
            return 1
        if len(values) > 1 or not re.fullmatch(r"[1-9][0-9]{0,2}", values[0]):
            raise Http404("Not a page of these results.")
        number = int(values[0])
        if number > MAX_PAGES:
            raise Http404("Not a page of these results.")
        return number
