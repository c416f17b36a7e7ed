"""The page cache's tests drive the WSGI application itself, as a server would: a small WSGI
client, the edge around Django's handler, and the "pages" cache in local memory or in Redis
(database 5, a key prefix of the test's own)."""

import io
import os
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings

from articles.cache.edge import EdgeCache

REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
CLOSED_PORT_URL = "redis://127.0.0.1:9/5"


def redis_reachable():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def redis_cache(url=REDIS_URL, prefix=None):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
    }


LOCAL_MEMORY = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages-under-test",
}


@pytest.fixture(params=["local memory", "redis"])
def pages_cache(request, settings):
    """The "pages" cache in local memory, then in Redis (skipped when none is reachable)."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis reachable at " + REDIS_URL)
        config = redis_cache()
    else:
        config = LOCAL_MEMORY
    with override_settings(CACHES={**settings.CACHES, "pages": config}):
        if request.param == "redis":
            # A prefix of its own, never clear(): that would empty the database for everyone.
            yield caches["pages"]
            forget(config)
        else:
            caches["pages"].clear()
            yield caches["pages"]


def forget(config):
    """Delete a Redis cache's keys, by its prefix."""
    client = redis.Redis.from_url(config["LOCATION"])
    for key in client.scan_iter(f"{config['KEY_PREFIX']}:*"):
        client.delete(key)


@pytest.fixture
def edge(pages_cache):
    """An app server: the page cache around Django's handler."""
    return WsgiClient(EdgeCache(WSGIHandler()))


@dataclass
class Answer:
    status: int
    headers: dict  # lower-cased names
    body: bytes

    @property
    def x_cache(self):
        return self.headers.get("x-cache")

    @property
    def text(self):
        return self.body.decode()

    def __getitem__(self, name):
        return self.headers[name.lower()]


class WsgiClient:
    """Requests straight to a WSGI application, as gunicorn would make them."""

    def __init__(self, application):
        self.application = application

    def get(self, url, method="GET", **headers):
        """`headers` as WSGI names them (HTTP_ACCEPT_ENCODING="gzip", ...)."""
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **headers,
        }
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        result = self.application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        names = [name.lower() for name, _ in started["headers"] if name.lower() != "set-cookie"]
        assert len(names) == len(set(names)), started["headers"]  # no header twice
        return Answer(
            status=int(started["status"].split()[0]),
            headers={name.lower(): value for name, value in started["headers"]},
            body=body,
        )

    def head(self, url, **headers):
        return self.get(url, method="HEAD", **headers)
