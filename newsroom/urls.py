from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/images/", include("articles.images.urls")),
    path("desk/", include("articles.desk.urls")),
    path("share/", include("articles.desk.share_urls")),
    path("", include("articles.site.urls")),
    path("", include("articles.search.urls")),
    path("", include("articles.syndication.urls")),
]

if settings.SERVE_MEDIA:
    # Local development; in production a web server or object storage serves uploads.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
