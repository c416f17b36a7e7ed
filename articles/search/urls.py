from django.conf import settings
from django.urls import path

from articles.caching import public_cache

from . import views

app_name = "search"

urlpatterns = [
    path(
        "search/",
        public_cache(settings.PAGE_CACHE_SECONDS)(views.SearchView.as_view()),
        name="search",
    ),
]
