"""The site's URLs plus uploaded files, for tests that load pages in a real browser."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
