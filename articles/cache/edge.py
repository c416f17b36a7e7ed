"""The page cache at the WSGI edge: a WSGI middleware around Django's application that answers
anonymous readers' pages, feeds and sitemaps from the "pages" cache before Django resolves a
URL, runs a middleware or opens a session, and never answers with a stale page.

A page's key holds the content version (which the database advances with every write to the
content: triggers.py), the release (freshness.release()) and the request as far as a page can
depend on it: scheme, host, path, its `page` and `q` parameters, and the values of the request
headers the response varies on. A write therefore makes every page stored before it
unreachable, and an entry lives no longer than EDGE_CACHE_SECONDS, nor past the next moment the
clock alone changes what is public. Only responses a view marked public (articles/caching.py,
the mark a CDN goes by too) are stored. A hit costs one query (the version) and one cache read.

The cache or the database failing means uncached pages, never an error. Every answer says what
happened in `X-Cache`: hit, miss, or bypass.
"""

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import close_old_connections
from django.http.cookie import parse_cookie

from . import freshness
from .entries import Entry, storable, varies_on

logger = logging.getLogger(__name__)

ALIAS = "pages"
# Never looked up: the desk, and pages meant for one person. The reader URLconf owns the rest,
# and what it answers is stored only when its view marked it public.
PRIVATE_PREFIXES = ("/admin/", "/desk/", "/share/", "/preview/")
# The only query parameters reader pages read (search's `q` and `page`, the lists' cursors,
# articles/site/pagination.py); a request with any other bypasses the cache, so that
# `?x=random` cannot fill it with copies.
READER_PARAMETERS = {"page", "q", "before", "after"}
# Django's message storage keeps a staff member's messages in this cookie.
MESSAGES_COOKIE = "messages"
# A cache that failed is left alone this long before it is tried again.
RETRY_SECONDS = 5
VALIDATORS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def wrap(application):
    """`application` behind the page cache when EDGE_CACHE is on (newsroom/wsgi.py)."""
    return EdgeCache(application) if settings.EDGE_CACHE else application


class Varies:
    """Stored in a page's place when its response varies on request headers: the page itself is
    stored under a key that adds their values."""

    def __init__(self, headers):
        self.headers = tuple(headers)

    def key(self, key, environ):
        values = [
            environ.get("HTTP_" + name.upper().replace("-", "_"), "") for name in self.headers
        ]
        return f"{key}:{_digest(repr(list(zip(self.headers, values, strict=True))))}"


class EdgeCache:
    def __init__(self, application, alias=ALIAS):
        self.application = application
        self.alias = alias
        self.release = freshness.release()
        self.schedule = freshness.Schedule()
        self.private_prefixes = PRIVATE_PREFIXES + tuple(
            prefix
            for prefix in (_local_prefix(settings.STATIC_URL), _local_prefix(settings.MEDIA_URL))
            if prefix
        )
        self.unavailable_until = 0.0

    def __call__(self, environ, start_response):
        address = self.page_address(environ)
        cache = self.available_cache() if address else None
        if cache is None:
            return self.application(environ, _tagged(start_response, "bypass"))
        # Django's request_started and request_finished do the same for its own queries.
        close_old_connections()
        version = freshness.content_version()
        if version is None:
            return self.application(environ, _tagged(start_response, "bypass"))
        key = f"page:{version}:" + _digest(f"{self.release}\n{address}")
        try:
            entry = self.stored(cache, key, environ)
        except Exception:  # any failure of the cache means no cache
            self.failed()
            close_old_connections()
            return self.application(environ, _tagged(start_response, "bypass"))
        if entry is not None:
            close_old_connections()
            return entry.answer(environ, start_response, "hit")
        next_change = self.schedule.next_change(version)
        close_old_connections()
        return self.fill(environ, start_response, cache, key, next_change)

    def page_address(self, environ):
        """What tells one reader page from another, or None when the request must bypass the
        cache: not GET or HEAD, a private path, a staff member (a session, CSRF or messages
        cookie, or credentials), or a query parameter no reader page reads."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.private_prefixes) or environ.get("HTTP_AUTHORIZATION"):
            return None
        if _staff_cookie(environ.get("HTTP_COOKIE", "")):
            return None
        query = _reader_query(environ.get("QUERY_STRING", ""))
        if query is None:
            return None
        return "\n".join(
            [_scheme(environ), _host(environ), environ.get("SCRIPT_NAME", ""), path, query]
        )

    def available_cache(self):
        if time.monotonic() < self.unavailable_until:
            return None
        return caches[self.alias]

    def failed(self):
        logger.warning(
            "The page cache failed; pages are served without it for %s s.",
            RETRY_SECONDS,
            exc_info=True,
        )
        self.unavailable_until = time.monotonic() + RETRY_SECONDS

    def stored(self, cache, key, environ):
        entry = cache.get(key)
        if isinstance(entry, Varies):
            entry = cache.get(entry.key(key, environ))
        return entry

    def fill(self, environ, start_response, cache, key, next_change):
        """Django answers; a response fit to keep is stored, then answered from the cache's
        own entry (the encoding the client takes, or a 304)."""
        response = {}

        def capture(status, headers, exc_info=None):
            response.update(status=status, headers=headers)
            return _no_write

        # Django's handler calls start_response before it returns.
        body = self.application(_as_django_sees_it(environ), capture)
        status, headers = response["status"], response["headers"]
        if not storable(status, headers):
            start_response(status, [*headers, ("X-Cache", "miss")])
            if environ["REQUEST_METHOD"] == "HEAD":
                _close(body)
                return []
            return body
        try:
            entry = Entry.build(status, headers, b"".join(body))
        finally:
            _close(body)
        self.store(cache, key, entry, environ, varies_on(headers), next_change)
        return entry.answer(environ, start_response, "miss")

    def store(self, cache, key, entry, environ, vary, next_change):
        timeout = settings.EDGE_CACHE_SECONDS
        if next_change is not None:
            timeout = min(timeout, int(next_change.timestamp() - time.time()))
        if timeout < 1:
            return
        try:
            if vary:
                varies = Varies(vary)
                cache.set(key, varies, timeout)
                key = varies.key(key, environ)
            cache.set(key, entry, timeout)
        except Exception:  # any failure of the cache means no cache
            self.failed()


def _as_django_sees_it(environ):
    """The request Django answers on a miss: a GET (a HEAD's body is dropped here), without
    validators, so that the answer is a whole page to store; the cache evaluates them."""
    environ = {k: v for k, v in environ.items() if k not in VALIDATORS}
    environ["REQUEST_METHOD"] = "GET"
    return environ


def _reader_query(query_string):
    """The query string in a normal form (sorted), or None if it has a parameter that reader
    pages do not read, or one twice."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names) or not READER_PARAMETERS.issuperset(names):
        return None
    return urlencode(sorted(pairs))


def _staff_cookie(cookie_header):
    if not cookie_header:
        return False
    names = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, MESSAGES_COOKIE}
    return not names.isdisjoint(parse_cookie(cookie_header))


def _scheme(environ):
    scheme = environ.get("wsgi.url_scheme", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        scheme += "|" + environ.get(settings.SECURE_PROXY_SSL_HEADER[0], "")
    return scheme


def _host(environ):
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    if settings.USE_X_FORWARDED_HOST:
        host += "|" + environ.get("HTTP_X_FORWARDED_HOST", "")
    return host.lower()


def _local_prefix(url):
    """The path prefix of STATIC_URL or MEDIA_URL when this site serves them."""
    if not url or "://" in url or url.startswith("//"):
        return None
    return "/" + url.strip("/") + "/"


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _tagged(start_response, x_cache):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Cache", x_cache)], exc_info)

    return start


def _no_write(data):
    raise NotImplementedError("Django's handler returns its body; it never calls write().")


def _close(iterable):
    if hasattr(iterable, "close"):
        iterable.close()  # Django's response: request_finished, as after any request
