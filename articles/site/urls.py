from django.conf import settings
from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from articles.caching import public_cache

from . import (
    converters,  # noqa: F401 (registers uslug, yyyy, mm)
    views,
)

app_name = "site"

# Reader pages are the same for everyone, so a CDN may keep them briefly; a scheduled story
# then appears within PAGE_CACHE_SECONDS of its time.
public = public_cache(settings.PAGE_CACHE_SECONDS)

urlpatterns = [
    path("", public(views.HomeView.as_view()), name="home"),
    path("latest/", public(views.LatestView.as_view()), name="latest"),
    path("articles/<slug:slug>/", public(views.ArticleDetailView.as_view()), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("sections/<slug:slug>/", public(views.SectionView.as_view()), name="section"),
    path("tags/<uslug:slug>/", public(views.TagView.as_view()), name="tag"),
    path("authors/<slug:slug>/", public(views.AuthorView.as_view()), name="author"),
    path("archive/", public(views.ArchiveView.as_view()), name="archive"),
    path("archive/<yyyy:year>/", public(views.YearArchive.as_view()), name="archive_year"),
    path(
        "archive/<yyyy:year>/<mm:month>/",
        public(views.MonthArchive.as_view()),
        name="archive_month",
    ),
    # Browsers ask for /favicon.ico where a page names no icon (the admin's pages).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))),
]
