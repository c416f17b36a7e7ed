"""Debian's Chromium for the browser tests, driven by Playwright: where it is, how it starts,
the rule that a missing browser skips the tests, except where they are required (CI), and one
Chromium for the whole run, started by the first browser test (they run after all others)."""

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless on a closed network: no background connections, no first-run or update checks.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(*needed_files):
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make test installs it)"
    for path in needed_files:
        if not Path(path).exists():
            return f"{Path(path).name} is not installed (npm ci)"
    return None


def browser_marks(*needed_files):
    """Marks for a module of browser tests: skipped with the reason, or an error when
    REQUIRE_BROWSER is set; a live server over a transactional database (its flush after each
    test makes what the migrations made again: content types, permissions, roles); run after
    every other test."""
    reason = missing(*needed_files)
    if reason and os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(f"Browser tests are required here, but {reason}.")
    return [
        pytest.mark.skipif(bool(reason), reason=reason or ""),
        pytest.mark.django_db(transaction=True),
        pytest.mark.browser,
    ]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium; runs after every other test")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last, after pytest-django has put the database tests in its order: from
    the first of them to the end of the run, this thread has Playwright's event loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """One headless Chromium for the run, started by the first test that asks and stopped
    before the test database is dropped: launching one per test cost more than most tests.

    While Playwright's sync API runs, this thread has an event loop: Django takes the ORM calls
    made here for async code (allowed below), and gives them connections apart from the test's.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Once Playwright stops those connections are out of reach, and one left open keeps
        # PostgreSQL from dropping the test database at the end of the run.
        connections.close_all()


def signed_in(browser, base_url, username, **options):
    """A new browser context with `username` signed in: a session made on the server, its
    cookie handed to the browser, which saves a page load on each form a test opens (signing
    in through the login form is tests/site/test_browser.py's)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "url": base_url,
                "httpOnly": settings.SESSION_COOKIE_HTTPONLY,
                "secure": settings.SESSION_COOKIE_SECURE,
                "sameSite": settings.SESSION_COOKIE_SAMESITE,
            }
        ]
    )
    return context


class _Answering:
    """How many requests the live server is answering."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.count += 1

    def finished(self, **kwargs):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait(self, timeout=30):
        with self.changed:
            self.changed.wait_for(lambda: self.count <= 0, timeout)


@pytest.fixture
def browser(chromium, live_server):
    """The run's Chromium. A test opens contexts of its own (cookies, storage, cache, pages),
    all closed after it; then its database is flushed, once the live server has answered what
    they asked (a late request would find a table locked, or write into the next test)."""
    from django.core.signals import request_finished, request_started

    answering = _Answering()
    request_started.connect(answering.started)
    request_finished.connect(answering.finished)
    yield chromium
    for context in chromium.contexts:
        context.close()
    answering.wait()
    request_started.disconnect(answering.started)
    request_finished.disconnect(answering.finished)
