"""Newsroom benchmark: seed a big database, serve it with gunicorn, measure the public pages.

Run by `make bench`, or directly: `.venv/bin/python bench/run.py [--fresh] [--count N]`.
DATABASE_URL chooses the database (SQLite file bench.sqlite3 in the project by default).
Writes the report to bench/results.md as well as printing it. Exits 1 if any measured page
answered anything but 2xx, or if the server never came up.
"""

import argparse
import datetime
import http.client
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import django  # noqa: E402 (needs the project on sys.path first)
import environ  # noqa: E402

RESULTS = PROJECT / "bench" / "results.md"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT / 'bench.sqlite3'}"
HOST = "127.0.0.1"
WORKERS = 2
WARMUP_REQUESTS = 5
READY_TIMEOUT = 30  # seconds for gunicorn to answer its first request
REQUEST_TIMEOUT = 30  # seconds; gunicorn's own worker timeout is 30 s too
GRACEFUL_STOP = 15  # seconds for gunicorn to stop before it is killed
SAMPLE_PREFIX = "sample-"
PHRASE_QUERY = '"battery swap" -xiaomi'

# wrk counts only 4xx/5xx as "Non-2xx or 3xx"; this counts redirects too, across threads.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non2xx") end
  io.write(string.format("BENCH non2xx %d\\n", total))
end
"""


@dataclass
class Target:
    label: str
    path: str
    optional: bool = False  # a 404 means "not in the tree yet": skipped, not failed


@dataclass
class Measurement:
    target: Target
    status: int = 0  # of the first warm-up request
    size: int = 0  # bytes in that response
    first_ms: float = 0.0  # its time, alone on the server, before any cache holds the page
    queries: int | None = None
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    skipped: bool = False
    note: str = ""  # why it was not measured


@dataclass
class Database:
    url: str
    engine: str
    seed: str
    sample_articles: int
    public_articles: int
    timings: dict = field(default_factory=dict)


class ServerNotReady(RuntimeError):
    pass


def say(*lines):
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    sys.stdout.flush()


# Preparation ------------------------------------------------------------------------------


def media_root(config):
    """Uploads of one bench database, kept with it: feeds read the hero images' sizes."""
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    name = re.sub(r"[^\w.-]+", "-", Path(config["NAME"]).stem or "db")
    return PROJECT / "bench" / "media" / f"{engine}-{name}"


def production_env(database_url, media, scratch):
    """The environment of every command and of gunicorn: what production would set."""
    env = dict(os.environ)
    env.pop("GUNICORN_CMD_ARGS", None)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="False",
        DATABASE_URL=database_url,
        # Same cache as configured, but empty for this run, even when shared (Redis).
        CACHE_KEY_PREFIX=f"newsroom-bench-{secrets.token_hex(4)}",
        STATIC_ROOT=str(scratch / "static"),
        MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    return env


def masked(url):
    """The database URL without its password, fit for a report."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def delete_sqlite(name, media):
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{name}{suffix}")
        if path.exists():
            path.unlink()
            say(f"Deleted {path}")
    if media.exists():
        shutil.rmtree(media)
        say(f"Deleted {media}")


def manage(*args):
    """Run a management command in a child process; returns its wall time in seconds."""
    say(f"$ manage.py {' '.join(args)}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, check=True)  # noqa: S603
    return time.perf_counter() - started


def engine_label():
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def prepare_database(database_url, count):
    from django.db import connection

    from articles.models import Article

    timings = {"migrate": manage("migrate", "--noinput", "--verbosity", "1")}
    samples = Article.objects.filter(slug__startswith=SAMPLE_PREFIX).count()
    connection.close()  # the seed writes from another process
    if samples >= count:
        seed = f"reused: {samples:,} sample articles already there (seed skipped)"
        say(f"Database reused: {samples:,} sample articles already there, seed skipped.")
    else:
        seconds = manage("seed_demo", "--count", str(count), "--no-accounts")
        timings["seed"] = seconds
        seed = f"{seconds:.1f} s wall time to go from {samples:,} to {count:,} sample articles"
        say(f"Seeded in {seconds:.1f} s.")
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk insert (planner statistics, and the visibility
        # map that index-only counts need); done now so results do not depend on its timing.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
    elif connection.vendor == "sqlite":
        # SQLite keeps no statistics until asked; the seed asks, but a reused file may predate it.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
    database = Database(
        url=masked(database_url),
        engine=engine_label(),
        seed=seed,
        sample_articles=Article.objects.filter(slug__startswith=SAMPLE_PREFIX).count(),
        public_articles=Article.objects.public().count(),
        timings=timings,
    )
    connection.close()
    return database


def busiest(queryset, key):
    """The value of `key` shared by the most rows of `queryset`: the heaviest listing."""
    from django.db.models import Count

    row = (
        queryset.filter(**{f"{key}__isnull": False})
        .values(key)
        .annotate(rows=Count("pk"))
        .order_by("-rows", key)
        .first()
    )
    return row[key] if row else None


def pick_targets():
    """Every page type, on real rows: the newest article and the busiest listings."""
    from django.db.models.functions import ExtractYear
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article

    public = Article.objects.public()
    article = public.newest_first().values_list("slug", flat=True).first()
    section = busiest(public, "section__slug")
    tag = busiest(public, "tags__slug")
    author = busiest(public, "bylines__author__slug")
    year = busiest(public.annotate(year=ExtractYear("published_at")), "year")
    if not all([article, section, tag, author, year]):
        raise SystemExit("error: the database has no public articles to measure.")
    search = reverse("search:search")
    try:
        feed = reverse("syndication:feed_rss")
    except NoReverseMatch:
        feed = "/feed/"
    return [
        Target("front page", reverse("site:home")),
        Target("article", reverse("site:detail", kwargs={"slug": article})),
        Target("latest, page 50", reverse("site:latest") + "?page=50"),
        Target("section", reverse("site:section", kwargs={"slug": section})),
        Target("tag", reverse("site:tag", kwargs={"slug": tag})),
        Target("author", reverse("site:author", kwargs={"slug": author})),
        Target("archive year", reverse("site:archive_year", kwargs={"year": year})),
        Target("search", f"{search}?{urlencode({'q': 'battery'})}"),
        Target("search, phrase", f"{search}?{urlencode({'q': PHRASE_QUERY})}"),
        Target("RSS feed", feed, optional=True),
        Target("sitemap index", reverse("syndication:sitemap_index")),
        Target("sitemap part", reverse("syndication:sitemap", kwargs={"section": "articles"})),
    ]


def count_queries(targets):
    """Queries per page, rendered once in this process (a regression shows up here first).

    With no cache, so that a cached page shows what rendering it costs, and the server's cache
    is still empty when the load starts.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    counts = {}
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=no_cache):
        for target in targets:
            with CaptureQueriesContext(connection) as context:
                client.get(target.path)
            counts[target.path] = len(context.captured_queries)
    connection.close()
    return counts


# The server -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port, log):
    command = [
        sys.executable, "-m", "gunicorn", "newsroom.wsgi",
        "--workers", str(WORKERS), "--threads", "1",
        "--bind", f"{HOST}:{port}", "--timeout", str(REQUEST_TIMEOUT),
    ]  # fmt: skip
    say(f"$ {' '.join(command[1:])}")
    # A session of its own: Ctrl-C reaches this script, which then stops gunicorn cleanly.
    return subprocess.Popen(  # noqa: S603
        command, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def fetch(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_ready(server, port):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerNotReady(f"gunicorn exited with status {server.returncode}")
        try:
            fetch(port, "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise ServerNotReady(f"gunicorn did not answer on {HOST}:{port} within {READY_TIMEOUT} s")


def stop(server):
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(GRACEFUL_STOP)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):  # slow, or a second Ctrl-C
        os.killpg(server.pid, signal.SIGKILL)  # the master and its workers: our own group
        server.wait()


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{master}\n" in status.read_text():
                pids.append(int(status.parent.name))
        except OSError:
            continue  # the process ended while we looked
    return pids


def memory_mib(pid):
    """Current and peak resident memory of a process, in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            values[name] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


# Load -------------------------------------------------------------------------------------


def warm_up(port, measurement):
    """A few requests before the load; False if the page does not answer at all."""
    for _ in range(WARMUP_REQUESTS):
        started = time.perf_counter()
        try:
            status, body = fetch(port, measurement.target.path)
        except (OSError, http.client.HTTPException) as error:
            measurement.errors += 1
            measurement.note = f"no answer to a warm-up request ({error or type(error).__name__})"
            return False
        if not measurement.status:
            measurement.status, measurement.size = status, len(body)
            measurement.first_ms = (time.perf_counter() - started) * 1000
    return True


def percentile(sorted_values, percent):
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def load_python(port, path, connections, duration):
    """`connections` threads for `duration` s, each reusing its connection while it stays open.

    gunicorn's sync workers close it after every response; http.client then reconnects.
    """
    latencies, failures = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()  # it reconnects on the next request
                time.sleep(0.01)
                continue
            mine.append(time.perf_counter() - started)
            bad += not 200 <= response.status < 300
        connection.close()
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": sum(failures),
    }


TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def wrk_ms(output, percent):
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    return float(match[1]) * TIME_UNITS_MS[match[2]] if match else 0.0


def load_wrk(wrk, script, port, path, connections, duration):
    command = [
        wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency",
        # wrk's default 2 s timeout would drop slow pages from the latencies; count them.
        f"--timeout={REQUEST_TIMEOUT}s", f"--script={script}", f"http://{HOST}:{port}{path}",
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    non2xx = re.search(r"^BENCH non2xx (\d+)", output, re.MULTILINE)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not (requests and rps and non2xx):
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return {
        "requests": int(requests[1]),
        "rps": float(rps[1]),
        "p50_ms": wrk_ms(output, 50),
        "p99_ms": wrk_ms(output, 99),
        "errors": int(non2xx[1]) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def measure(port, targets, queries, args, wrk, scratch):
    script = scratch / "count-non2xx.lua"
    script.write_text(WRK_SCRIPT)
    results = []
    for target in targets:
        measurement = Measurement(target, queries=queries.get(target.path))
        results.append(measurement)
        if not warm_up(port, measurement):
            say(f"{target.path}: {measurement.note}; not measured")
            continue
        if target.optional and measurement.status == 404:
            measurement.skipped = True
            measurement.note = "skipped: answered 404 (not in the tree yet)"
            say(f"{target.path}: 404, skipped")
            continue
        if wrk:
            figures = load_wrk(wrk, script, port, target.path, args.connections, args.duration)
        else:
            figures = load_python(port, target.path, args.connections, args.duration)
        for name, value in figures.items():
            setattr(measurement, name, value)
        say(
            f"{target.path}: {measurement.rps:.1f} req/s, p50 {measurement.p50_ms:.1f} ms, "
            f"p99 {measurement.p99_ms:.1f} ms, {measurement.errors} errors"
        )
    return results


# Report -----------------------------------------------------------------------------------


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine(client, load_before):
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.partition(":")[2].strip()
            break
    import gunicorn

    return {
        "CPUs": f"{len(os.sched_getaffinity(0))} ({model})",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": f"{gunicorn.__version__}, {WORKERS} sync workers × 1 thread",
        "load client": client,
        # Anything else running on the machine skews the figures; this shows whether it did.
        "load average before the run (1, 5, 15 min)": load_before,
    }


def wrk_version(wrk):
    output = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout  # noqa: S603
    match = re.search(r"wrk (\S+)", output)
    return f"wrk {match[1]}" if match else "wrk"


def worker_memory(pid, rss, hwm, replaced):
    note = " (replaced a worker that timed out: peak of the later pages only)" if replaced else ""
    return f"pid {pid}: {hwm:.1f} / {rss:.1f} MiB{note}"


def table_row(*cells):
    return "| " + " | ".join("" if cell is None else str(cell) for cell in cells) + " |"


def render_report(database, results, memory, facts, args):
    lines = [
        f"# Newsroom benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Each URL: {WARMUP_REQUESTS} warm-up requests, then {args.duration} s of load over "
        f"{args.connections} connections to gunicorn on {HOST}. Latencies include queueing "
        f"behind the {WORKERS} workers. First ms: the first warm-up request, alone, before any "
        "cache holds the page. Queries: one render in the benchmark process.",
        "",
        "| page | URL | req/s | p50 ms | p99 ms | errors | requests | first ms | KiB | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in results:
        page, queries = (m.target.label, f"`{m.target.path}`"), m.queries
        errors = f"**{m.errors}**" if m.errors else "0"
        if m.status and not 200 <= m.status < 300:
            errors += f" (HTTP {m.status})"
        if m.skipped:
            lines.append(table_row(*page, m.note, "", "", "", "", "", "", queries))
        elif m.note:
            lines.append(table_row(*page, m.note, "", "", errors, "", "", "", queries))
        else:
            figures = (f"{m.rps:.1f}", f"{m.p50_ms:.1f}", f"{m.p99_ms:.1f}", errors, m.requests)
            first = (f"{m.first_ms:.1f}", f"{m.size / 1024:.1f}")
            lines.append(table_row(*page, *figures, *first, queries))
    timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in database.timings.items())
    lines += [
        "",
        f"- Database: {database.engine} (`{database.url}`)",
        f"- Articles: {database.public_articles:,} public, "
        f"of which {database.sample_articles:,} synthetic",
        f"- Seed: {database.seed}",
        f"- Preparation: {timings}",
        "- Worker memory after the load (peak VmHWM / current VmRSS): "
        + ("; ".join(worker_memory(*worker) for worker in memory) or "n/a"),
    ]
    lines += [f"- {name}: {value}" for name, value in facts.items()]
    return "\n".join(lines) + "\n"


# Main -------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    parser.add_argument("--count", type=int, default=100_000, help="sample articles to seed")
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--no-wrk", action="store_true", help="use the Python client")
    args = parser.parse_args(argv)
    for name in ("count", "duration", "connections"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be 1 or more")
    return args, parser


def run_server(scratch, targets, queries, args, wrk):
    """Measure every target against a fresh gunicorn.

    Returns the measurements and, per worker, (pid, MiB now, MiB at peak, replaced): a worker
    that timed out is replaced, and the newcomer's peak covers only the pages after that.
    """
    port = free_port()
    log_path = scratch / "gunicorn.log"
    with log_path.open("wb") as log:
        server = start_gunicorn(port, log)
        try:
            wait_until_ready(server, port)
            first_workers = set(worker_pids(server.pid))
            results = measure(port, targets, queries, args, wrk, scratch)
            memory = [
                (pid, *memory_mib(pid), pid not in first_workers)
                for pid in worker_pids(server.pid)
                if Path(f"/proc/{pid}").exists()
            ]
        except ServerNotReady as problem:
            say(f"error: {problem}. gunicorn's log:", log_path.read_text(errors="replace"))
            raise
        finally:
            stop(server)
    if any(m.errors for m in results):
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        say("Some requests failed; the end of gunicorn's log:", *tail)
    return results, memory


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args, parser = parse_args(argv)
    load_before = load_average()
    signal.signal(signal.SIGTERM, interrupt)
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    config = environ.Env.db_url_config(database_url)
    media = media_root(config)
    if args.fresh:
        if config["ENGINE"] != "django.db.backends.sqlite3":
            parser.error("--fresh deletes a SQLite file; drop and create other databases yourself")
        delete_sqlite(config["NAME"], media)
    wrk = None if args.no_wrk else shutil.which("wrk")
    client = wrk_version(wrk) if wrk else f"Python http.client, {args.connections} threads"

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as name:
        scratch = Path(name)
        os.environ.update(production_env(database_url, media, scratch))
        django.setup()
        try:
            database = prepare_database(database_url, args.count)
            database.timings["collectstatic"] = manage("collectstatic", "--noinput", "-v", "0")
            targets = pick_targets()
            queries = count_queries(targets)
            results, memory = run_server(scratch, targets, queries, args, wrk)
        except subprocess.CalledProcessError as error:
            say(f"error: {' '.join(map(str, error.cmd))} exited with status {error.returncode}")
            if "migrate" in error.cmd and config["ENGINE"] == "django.db.backends.sqlite3":
                say("A bench database migrated by other code may not migrate: try --fresh.")
            return 1
        except subprocess.TimeoutExpired as error:
            say(f"error: {' '.join(map(str, error.cmd))} did not finish in {error.timeout} s")
            return 1
        except ServerNotReady:
            return 1
        except KeyboardInterrupt:
            say("Interrupted.")
            return 130

    report = render_report(database, results, memory, machine(client, load_before), args)
    say("", report)
    RESULTS.write_text(report, encoding="utf-8")
    say(f"Written to {RESULTS.relative_to(PROJECT)}")
    failed = [m for m in results if m.errors and not m.skipped]
    if failed:
        say("error: non-2xx responses from " + ", ".join(m.target.path for m in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
