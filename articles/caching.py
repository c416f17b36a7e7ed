"""What a CDN or browser may keep, and for how long: the one place that writes Cache-Control
for reader-facing responses. The durations are named settings (PAGE_CACHE_SECONDS and so on).

A response marked public here is also what the page cache (articles/cache/) may keep: the two
go by the same mark."""

from functools import wraps

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


def patch_public_cache(response, max_age):
    """Mark `response` as the same for every reader: a browser keeps it `max_age` seconds, a
    CDN at most CDN_CACHE_SECONDS; then either may serve it stale briefly while a fresh copy is
    fetched, and a CDN longer if the site fails."""
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=min(max_age, settings.CDN_CACHE_SECONDS),
        stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
        stale_if_error=settings.STALE_IF_ERROR_SECONDS,
    )
    return response


def public_cache(max_age):
    """A view decorator: `patch_public_cache(response, max_age)`."""

    def decorate(view):
        @wraps(view)
        def view_with_headers(request, *args, **kwargs):
            return patch_public_cache(view(request, *args, **kwargs), max_age)

        return view_with_headers

    return decorate


def immutable(response):
    """For a file whose name is never reused for other content (uploaded images and their
    renditions): anyone may keep it for MEDIA_CACHE_SECONDS without asking again."""
    patch_cache_control(response, public=True, max_age=settings.MEDIA_CACHE_SECONDS, immutable=True)
    return response


def private_page(response, *, secret_address=False):
    """Headers for a page meant for one person (previews, share links): never kept by a
    browser or a CDN, never indexed; with `secret_address`, its address is never sent on as a
    referrer either."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if secret_address:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
