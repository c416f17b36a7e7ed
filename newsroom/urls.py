from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.static import serve

from articles.caching import immutable

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/images/", include("articles.images.urls")),
    path("desk/", include("articles.desk.urls")),
    path("share/", include("articles.desk.share_urls")),
    path("", include("articles.site.urls")),
    path("", include("articles.search.urls")),
    path("", include("articles.syndication.urls")),
]


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # A laptop's database and uploads get wiped and seeded again: there, ask every time.
    return response if settings.DEBUG else immutable(response)


if settings.SERVE_MEDIA:
    # On a laptop, or behind a CDN that keeps uploads (they never change under their names);
    # otherwise the web server or object storage serves them, with the same headers.
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media)]


def ceiling(request):
    return HttpResponse(b"ceiling\n", content_type="text/plain")


if settings.BENCH_CEILING:
    # The most this stack serves: bench/run.py divides each page's figures by this one's.
    urlpatterns += [path("_bench/ceiling/", ceiling, name="bench_ceiling")]
