"""WebSub: telling the hub that feeds changed, so that subscribers get a story at once.

Call `announce(article)` after a save that changes what readers see (publishing, editing a
live article, unpublishing). The pings go out once the transaction commits, from background
threads, so a slow or broken hub never slows or fails the editor's save.
"""

import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.db import transaction

from articles.addresses import absolute_url

from .feeds import FORMATS, feed_path

logger = logging.getLogger(__name__)

ATTEMPTS = 3
TIMEOUT = 5  # seconds for each request to the hub
BACKOFF = 1.0  # seconds before the second attempt, doubled before each further one
HEADERS = {"User-Agent": "Newsroom WebSub publisher"}

_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="websub")
_pending = set()
_pending_lock = threading.Lock()


def feed_urls(article):
    """The absolute address of every feed the article appears in."""
    scopes = [None, *article.tags.all(), *article.authors.all()]
    if article.section_id:
        scopes.append(article.section)
    return [absolute_url(feed_path(scope, feed.kind)) for scope in scopes for feed in FORMATS]


def announce(article):
    """Ping the hub (WEBSUB_HUB_URL) for each of the article's feeds after the commit."""
    hub = settings.WEBSUB_HUB_URL
    if not hub:
        return
    if urllib.parse.urlsplit(hub).scheme not in ("http", "https"):
        logger.warning("WEBSUB_HUB_URL is not an http(s) address; no WebSub ping: %s", hub)
        return

    def send():
        try:
            for url in feed_urls(article):
                _start(hub, url)
        except Exception:
            logger.exception("WebSub ping for article %s could not be started", article.pk)

    transaction.on_commit(send, robust=True)


def wait_for_pings(timeout=None):
    """Wait until every ping so far has been taken or given up; False if time ran out."""
    with _pending_lock:
        pending = set(_pending)
    return not wait(pending, timeout).not_done


def _start(hub, url):
    future = _executor.submit(_ping, hub, url)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future):
    with _pending_lock:
        _pending.discard(future)


def _ping(hub, url):
    data = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
    # The hub's address is the site's own setting, checked to be http(s) by announce().
    request = urllib.request.Request(hub, data=data, headers=HEADERS)  # noqa: S310
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):  # noqa: S310
                return True
        except urllib.error.HTTPError as error:
            error.close()
            problem = f"HTTP {error.code}"
            if error.code < 500:
                break  # the hub refuses this request; asking again will not help
        except OSError as error:
            problem = str(getattr(error, "reason", error))
        if attempt < ATTEMPTS:
            time.sleep(BACKOFF * 2 ** (attempt - 1))
    logger.warning(
        "WebSub hub %s did not take the ping for %s after %d attempt(s): %s",
        hub,
        url,
        attempt,
        problem,
    )
    return False
