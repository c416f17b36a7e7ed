"""Who has an article's change form open, held in the cache only and gone by itself.

One cache key per article holds {user id: (name, since, last seen)}. The open form refreshes
its editor's entry every HEARTBEAT_SECONDS; an entry not refreshed for EXPIRY_SECONDS is
ignored, and dropped at the next write. Two heartbeats landing at the same instant can drop
one entry until its next beat: good enough for a notice. A cache that is down shows nobody,
never an error.
"""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
EXPIRY_SECONDS = 90


def cache_key(article):
    return f"desk:presence:{article.pk}"


def others(article, user, now=None):
    """The other people with the form open, as (name, since), longest there first."""
    entries = _read(article)
    return _others(_fresh(entries, now or timezone.now()), user) if entries else []


def arrive(article, user, now=None):
    """Record that `user` has the form open (keeping since when); return the others there."""
    now = now or timezone.now()
    entries = _read(article)
    if entries is None:
        return []  # the cache is down: no second wait for it
    entries = _fresh(entries, now)
    name = user.get_full_name() or user.get_username()
    since = entries[user.pk][1] if user.pk in entries else now
    entries[user.pk] = (name, since, now)
    try:
        cache.set(cache_key(article), entries, EXPIRY_SECONDS)
    except Exception:
        logger.warning("Presence not recorded: the cache could not be written.", exc_info=True)
    return _others(entries, user)


def _read(article):
    """The article's entries; None when the cache cannot be reached."""
    try:
        return cache.get(cache_key(article)) or {}
    except Exception:
        logger.warning("Presence not shown: the cache could not be read.", exc_info=True)
        return None


def _fresh(entries, now):
    oldest = now - timedelta(seconds=EXPIRY_SECONDS)
    return {user_id: entry for user_id, entry in entries.items() if entry[2] >= oldest}


def _others(entries, user):
    present = [(name, since) for pk, (name, since, _) in entries.items() if pk != user.pk]
    return sorted(present, key=lambda entry: entry[1])
