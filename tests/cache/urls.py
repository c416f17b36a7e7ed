"""The site's URLs, and a few responses that reader views do not make, to show what the page
cache does with them."""

from django.http import HttpResponse
from django.urls import path

from articles.caching import patch_public_cache
from newsroom.urls import urlpatterns as site_urlpatterns


def by_language(request):
    response = HttpResponse(f"<p>{request.headers.get('Accept-Language', 'none')}</p>")
    response.headers["Vary"] = "Accept-Language"
    return patch_public_cache(response, 60)


def with_cookie(request):
    response = HttpResponse("<p>Hello</p>")
    response.set_cookie("seen", "yes")
    return patch_public_cache(response, 60)


def by_cookie(request):
    response = HttpResponse("<p>Hello</p>")
    response.headers["Vary"] = "Cookie"
    return patch_public_cache(response, 60)


def private(request):
    response = HttpResponse("<p>Only for you</p>")
    response.headers["Cache-Control"] = "public, private"
    return response


def unmarked(request):
    return HttpResponse("<p>No word on caching</p>")


urlpatterns = [
    path("test/by-language/", by_language),
    path("test/with-cookie/", with_cookie),
    path("test/by-cookie/", by_cookie),
    path("test/private/", private),
    path("test/unmarked/", unmarked),
    *site_urlpatterns,
]
