"""What a CDN or browser may keep, and for how long: the one place that writes Cache-Control
for reader-facing responses. The durations are named settings (PAGE_CACHE_SECONDS and so on)."""

from functools import wraps

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import cache_page


def patch_public_cache(response, max_age):
    """Mark `response` as the same for every reader: kept `max_age` seconds, then served stale
    briefly while a fresh copy is fetched."""
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
    )
    return response


def public_cache(max_age, *, keep=False):
    """A view decorator: `patch_public_cache(response, max_age)`. With `keep`, the site's own
    cache (shared by the app servers) keeps the response too, for responses costly to build."""

    def decorate(view):
        inner = cache_page(max_age)(view) if keep else view

        @wraps(view)
        def view_with_headers(request, *args, **kwargs):
            return patch_public_cache(inner(request, *args, **kwargs), max_age)

        return view_with_headers

    return decorate


def private_page(response, *, secret_address=False):
    """Headers for a page meant for one person (previews, share links): never kept by a
    browser or a CDN, never indexed; with `secret_address`, its address is never sent on as a
    referrer either."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if secret_address:
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
