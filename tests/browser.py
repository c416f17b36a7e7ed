"""Debian's Chromium for the browser tests, driven by Playwright: where it is, how it starts,
and the rule that a missing browser skips the tests, except where they are required (CI)."""

import os
import shutil
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
    test makes what the migrations made again: content types, permissions, roles)."""
    reason = missing(*needed_files)
    if reason and os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError(f"Browser tests are required here, but {reason}.")
    return [
        pytest.mark.skipif(bool(reason), reason=reason or ""),
        pytest.mark.django_db(transaction=True),
    ]
