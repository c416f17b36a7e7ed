from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .backends import SearchResults
from .query import QueryProblem

PAGE_SIZE = 20


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context["query"] = query
        if not query.strip():
            return context
        try:
            results = SearchResults(query, page=self.requested_page(), per_page=PAGE_SIZE)
        except QueryProblem as problem:
            context["problem"] = str(problem)
            return context
        # A page number past the end or malformed shows the nearest real page.
        page = Paginator(results, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, hits=page.object_list, is_paginated=page.has_other_pages())
        return context

    def requested_page(self):
        try:
            return max(int(self.request.GET.get("page", 1)), 1)
        except ValueError:
            return 1
