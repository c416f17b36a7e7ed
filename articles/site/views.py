from itertools import groupby

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import now
from django.views.generic import (
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)

from articles.caching import private_page
from articles.models import Article, Author, Section, SlugRedirect, Tag

from .pagination import KeysetPaginationMixin

SECTION_BLOCK_SIZE = 4
MORE_IN_SECTION = 4


class PublicArticlesMixin:
    """Every list of articles for readers starts from the one public rule."""

    def get_queryset(self):
        return Article.objects.public().for_lists().newest_first()


class ArticleListView(KeysetPaginationMixin, PublicArticlesMixin, ListView):
    context_object_name = "articles"
    template_name = "site/article_list.html"


class HomeView(ArticleListView):
    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].is_first:
            # The navigation's sections, read once for it and for the section blocks.
            sections = context["nav_sections"] = list(Section.objects.all())
            shown = Article.objects.public().front_page(sections, SECTION_BLOCK_SIZE)
            # Newest first, the first featured one is the lead, and the first few of each
            # section its block (the lead, if older than those, comes after them).
            by_section = {}
            for article in shown.for_lists().newest_first():
                if article.featured and "lead" not in context:
                    context["lead"] = article
                block = by_section.setdefault(article.section_id, [])
                if len(block) < SECTION_BLOCK_SIZE:
                    block.append(article)
            context["section_blocks"] = [
                (section, by_section[section.pk])
                for section in sections
                if section.pk in by_section
            ]
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
        self.tag = get_object_or_404(Tag.objects.with_public_articles(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.tag.name, kicker="Tag", feed_scope=self.tag, **kwargs
        )


class AuthorView(ArticleListView):
    template_name = "site/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.with_public_articles(), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.name,
            intro=self.author.bio,
            author=self.author,
            feed_scope=self.author,
            **kwargs,
        )


class ArchiveView(TemplateView):
    template_name = "site/archive_index.html"

    def get_context_data(self, **kwargs):
        months = (
            Article.objects.public()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("-month")
        )
        years = [
            (year, list(rows)) for year, rows in groupby(months, key=lambda row: row["month"].year)
        ]
        return super().get_context_data(years=years, **kwargs)


class ArchiveMixin(KeysetPaginationMixin, PublicArticlesMixin):
    date_field = "published_at"
    context_object_name = "articles"
    make_object_list = True


class YearArchive(ArchiveMixin, YearArchiveView):
    template_name = "site/archive_year.html"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "site/archive_month.html"


class ArticleDetailView(DetailView):
    context_object_name = "article"
    template_name = "site/article_detail.html"

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
            # A story that was live and is now in the desk's trash is gone, not missing.
            trashed = Article.objects.filter(
                slug=kwargs["slug"], trashed_at__isnull=False, first_published_at__lte=now()
            )
            if trashed.exists():
                return render(request, "410.html", status=410)
            raise

    def get_context_data(self, **kwargs):
        article = self.object
        more = []
        if article.section_id:
            more = (
                Article.objects.public()
                .for_lists()
                .filter(section_id=article.section_id)
                .exclude(pk=article.pk)
                .newest_first()[:MORE_IN_SECTION]
            )
        return super().get_context_data(more_in_section=more, feed_scope=None, **kwargs)


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
        return private_page(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)
