from django.urls import include, path, register_converter

from . import views
from .converters import MonthConverter, UnicodeSlugConverter, YearConverter

register_converter(UnicodeSlugConverter, "uslug")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("archive/<yyyy:year>/", views.YearArchive.as_view(), name="archive_year"),
    path("archive/<yyyy:year>/<mm:month>/", views.MonthArchive.as_view(), name="archive_month"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include("articles.feed_urls")),
    path("", include("articles.seo_urls")),
]
