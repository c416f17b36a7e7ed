"""gunicorn's settings for Newsroom: `gunicorn newsroom.wsgi` reads this file from the project.

`make serve` and `make bench` run it; in production, set BIND (say `0.0.0.0:8000` behind the
proxy) and, if the machine does other work, WEB_CONCURRENCY. The worker class and counts were
measured with `make bench` on a 2-core machine.
"""

import os

# Loopback unless told otherwise: nothing is exposed by accident.
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"]

# Pages wait on the database for part of their time: a worker per core plus one, and a few
# threads in each, keep the cores busy meanwhile. gthread rather than sync: it keeps connections
# open between requests (sync closes each); measured on 2 cores, a fixed answer went from about
# 1,000 to 4,000 requests per second, rendered pages and page cache hits the same or better
# (README, "Benchmarks").
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)) + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# A request that takes longer is stuck: its worker is replaced (sitemaps take seconds at most).
timeout = 30
graceful_timeout = 15
keepalive = 5

# Django and the project loaded once, before the fork: workers start at once and share the
# pages of memory they never write to.
preload_app = True
# Workers are replaced now and then, not all at once, so that a slow leak cannot grow.
max_requests = 10_000
max_requests_jitter = 1_000

# Errors to stderr; the access log is off (the proxy or CDN in front keeps one). ACCESS_LOG=-
# writes it to stdout.
errorlog = "-"
accesslog = os.environ.get("ACCESS_LOG") or None
# The control socket's path is one per user: every gunicorn on the machine would share it.
control_socket_disable = True


def pre_fork(server, worker):
    """A database connection opened while loading the project must not be shared by the
    workers: each opens its own."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
