from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article, Author, Section, SlugRedirect, Tag

PAGE_SIZE = 20


class ArticleListView(ListView):
    paginate_by = PAGE_SIZE
    context_object_name = "articles"
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return Article.objects.public().with_byline().newest_first()


class HomeView(ArticleListView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["lead"] = (
                Article.objects.public().with_byline().filter(featured=True).newest_first().first()
            )
        return context


class LatestView(ArticleListView):
    extra_context = {"heading": "Latest"}


class SectionView(ArticleListView):
    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.section.name,
            intro=self.section.description,
            feed_scope=self.section,
            **kwargs,
        )


class TagView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.tag.name, kicker="Tag", feed_scope=self.tag, **kwargs
        )


class AuthorView(ArticleListView):
    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.name,
            intro=self.author.bio,
            author=self.author,
            feed_scope=self.author,
            **kwargs,
        )


class ArticleDetailView(DetailView):
    context_object_name = "article"
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return Article.objects.public().with_everything()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if "slug" not in kwargs:
                raise
            moved = SlugRedirect.objects.filter(
                old_slug=kwargs["slug"], article__in=Article.objects.public()
            ).select_related("article")
            if moved_to := moved.first():
                return redirect(moved_to.article, permanent=True)
            raise


class ArticlePreviewView(ArticleDetailView):
    """Any article as it will look, for staff who may change it; a 404 for everyone else."""

    def get_queryset(self):
        return Article.objects.with_everything()

    def get_object(self, queryset=None):
        user = self.request.user
        if not (user.is_active and user.is_staff and user.has_perm("articles.change_article")):
            raise Http404("No article found.")
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)
