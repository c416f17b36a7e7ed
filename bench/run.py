"""Newsroom benchmark: seed a database, serve it with gunicorn, measure the public pages.

Run by `make bench`, or directly: `.venv/bin/python bench/run.py [--fresh] [--count N]`.
DATABASE_URL chooses the database (SQLite file bench.sqlite3 in the project by default).
Each page is measured twice on the same server settings (gunicorn.conf.py): cold, with the page
cache off, and warm, with it on and the page in it; each time beside the ceiling, a fixed answer
from the same project. Prints one table and writes it into README.md. Exits 1 if any measured
page answered anything but 2xx, or if the server never came up.
"""

import argparse
import datetime
import http.client
import math
import os
import platform
import re
import runpy
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

README = PROJECT / "README.md"
README_START = "<!-- bench:results -->"
README_END = "<!-- /bench:results -->"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT / 'bench.sqlite3'}"
HOST = "127.0.0.1"
CEILING = "/_bench/ceiling/"
WARMUP_REQUESTS = 5  # also what puts each page in the page cache before a warm measurement
READY_TIMEOUT = 30  # seconds for gunicorn to answer its first request
REQUEST_TIMEOUT = 30  # seconds; gunicorn.conf.py's worker timeout is 30 s too
GRACEFUL_STOP = 15  # seconds for gunicorn to stop before it is killed
SAMPLE_PREFIX = "sample-"
COMMON_WORD = "battery"  # in about a tenth of the synthetic headlines, and the demo stories
RARE_WORD = "welion"  # in one demo story only
# What a browser sends; the page cache keeps a compressed copy for it.
REQUEST_HEADERS = {"Accept-Encoding": "gzip, br"}
# Cold: every request rendered by Django. Warm: the page cache on, each page in it.
PHASES = {"cold": {"EDGE_CACHE": "False"}, "warm": {"EDGE_CACHE": "True"}}

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


@dataclass
class Measurement:
    target: Target
    status: int = 0  # of the first warm-up request
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    note: str = ""  # why it was not measured


@dataclass
class Phase:
    name: str
    ceiling: Measurement
    pages: dict  # path: Measurement
    memory_mib: list  # VmRSS of each worker after the load
    workers: str  # gunicorn's worker class and count, as it ran


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
        # Same caches as configured, but empty for this run, even when shared (Redis).
        CACHE_KEY_PREFIX=f"newsroom-bench-{secrets.token_hex(4)}",
        STATIC_ROOT=str(scratch / "static"),
        MEDIA_ROOT=str(media),
        BENCH_CEILING="True",
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
        seed = f"{seconds:.1f} s to go from {samples:,} to {count:,} sample articles"
        say(f"Seeded in {seconds:.1f} s.")
    # What autovacuum does soon after a bulk insert (planner statistics, and on PostgreSQL the
    # visibility map that index-only counts need); done now so results do not depend on it.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
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
    from django.db.models.functions import TruncMonth
    from django.urls import reverse

    from articles.models import Article

    public = Article.objects.public()
    article = public.newest_first().values_list("slug", flat=True).first()
    section = busiest(public, "section__slug")
    tag = busiest(public, "tags__slug")
    author = busiest(public, "bylines__author__slug")
    month = busiest(public.annotate(month=TruncMonth("published_at")), "month")
    if not all([article, section, tag, author, month]):
        raise SystemExit("error: the database has no public articles to measure.")
    search = reverse("search:search")
    return [
        Target("front page", reverse("site:home")),
        Target("article", reverse("site:detail", kwargs={"slug": article})),
        Target("tag", reverse("site:tag", kwargs={"slug": tag})),
        Target("section", reverse("site:section", kwargs={"slug": section})),
        Target("author", reverse("site:author", kwargs={"slug": author})),
        Target(
            "archive month",
            reverse("site:archive_month", kwargs={"year": month.year, "month": month.month}),
        ),
        Target(f"search, common word ({COMMON_WORD})", f"{search}?{urlencode({'q': COMMON_WORD})}"),
        Target(f"search, rare word ({RARE_WORD})", f"{search}?{urlencode({'q': RARE_WORD})}"),
        Target("RSS feed", reverse("syndication:feed_rss")),
        Target("JSON Feed", reverse("syndication:feed_json")),
    ]


def count_queries(targets):
    """Queries per page, rendered once in this process with Django's test client (which the
    page cache at the WSGI edge does not see) and no cache: what a cold request costs."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    counts = {}
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": dummy, "pages": dummy}):
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


def start_gunicorn(port, log, settings):
    """gunicorn as `make serve` runs it (gunicorn.conf.py), on `port`, with `settings`."""
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--config", "gunicorn.conf.py"]
    env = {**os.environ, **settings, "BIND": f"{HOST}:{port}"}
    say(f"$ {' '.join(f'{k}={v}' for k, v in settings.items())} {' '.join(command[1:])}")
    # A session of its own: Ctrl-C reaches this script, which then stops gunicorn cleanly.
    return subprocess.Popen(  # noqa: S603
        command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def fetch(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers=REQUEST_HEADERS)
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
            fetch(port, CEILING)
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
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def resident_mib(pid):
    """VmRSS of a process, in MiB (0 if it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else 0.0


def worker_setup(workers):
    """gunicorn.conf.py's worker class, and how many workers ran."""
    import gunicorn

    config = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    setup = f"{workers} {config['worker_class']} workers"
    if config["worker_class"] == "gthread":
        setup += f" × {config['threads']} threads"
    return f"gunicorn {gunicorn.__version__}, {setup} (gunicorn.conf.py)"


# Load -------------------------------------------------------------------------------------


def warm_up(port, measurement):
    """A few requests before the load; False if the page does not answer at all."""
    for _ in range(WARMUP_REQUESTS):
        try:
            status, _ = fetch(port, measurement.target.path)
        except (OSError, http.client.HTTPException) as error:
            measurement.errors += 1
            measurement.note = f"no answer to a warm-up request ({error or type(error).__name__})"
            return False
        measurement.status = measurement.status or status
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
                connection.request("GET", path, headers=REQUEST_HEADERS)
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
    headers = [f"--header={name}: {value}" for name, value in REQUEST_HEADERS.items()]
    command = [
        wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency",
        # wrk's default 2 s timeout would drop slow pages from the latencies; count them.
        f"--timeout={REQUEST_TIMEOUT}s", f"--script={script}", *headers,
        f"http://{HOST}:{port}{path}",
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


def measure(port, target, args, client):
    """Warm-up requests, then `args.duration` seconds of load on one URL."""
    measurement = Measurement(target)
    if not warm_up(port, measurement):
        say(f"{target.path}: {measurement.note}; not measured")
        return measurement
    for name, value in client(port, target.path, args.connections, args.duration).items():
        setattr(measurement, name, value)
    say(
        f"  {target.label}: {measurement.rps:.1f} req/s, p50 {measurement.p50_ms:.1f} ms, "
        f"p99 {measurement.p99_ms:.1f} ms, {measurement.errors} errors"
    )
    return measurement


def run_phase(name, targets, args, client, scratch):
    """One server, with the page cache as the phase wants: the ceiling, then every page."""
    say(f"== {name} ==")
    port = free_port()
    log_path = scratch / f"gunicorn-{name}.log"
    with log_path.open("wb") as log:
        server = start_gunicorn(port, log, PHASES[name])
        try:
            wait_until_ready(server, port)
            ceiling = measure(port, Target("ceiling", CEILING), args, client)
            pages = {target.path: measure(port, target, args, client) for target in targets}
            memory = [resident_mib(pid) for pid in worker_pids(server.pid)]
            workers = worker_setup(len(memory))
        except ServerNotReady as problem:
            say(f"error: {problem}. gunicorn's log:", log_path.read_text(errors="replace"))
            raise
        finally:
            stop(server)
    if any(m.errors for m in [ceiling, *pages.values()]):
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        say("Some requests failed; the end of gunicorn's log:", *tail)
    return Phase(name, ceiling, pages, memory, workers)


# Report -----------------------------------------------------------------------------------


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def wrk_version(wrk):
    output = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout  # noqa: S603
    match = re.search(r"wrk (\S+)", output)
    return f"wrk {match[1]}" if match else "wrk"


def table_row(*cells):
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def figures(measurement, ceiling):
    """req/s, p50 / p99 ms and share of the ceiling, as table cells."""
    m = measurement
    if m.note:
        return m.note, "", ""
    if m.errors:
        status = f" (HTTP {m.status})" if not 200 <= m.status < 300 else ""
        return f"**{m.errors} errors**{status}", "", ""
    share = f"{m.rps / ceiling.rps:.0%}" if ceiling.rps else "n/a"
    return f"{m.rps:,.1f}", f"{m.p50_ms:.1f} / {m.p99_ms:.1f}", share


def render_table(targets, queries, cold, warm):
    """Every share is of one ceiling: the fixed answer on the cold server, Django with nothing in
    front. The warm server's fixed answer, which the page cache looks up and never keeps, shows
    what that lookup costs a page it does not keep."""
    ceiling = cold.ceiling
    lines = [
        "| page | queries | cold req/s | cold p50 / p99 ms | cold share | "
        "warm req/s | warm p50 / p99 ms | warm share |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        table_row(
            "ceiling: a fixed answer", 0, *figures(ceiling, ceiling),
            *figures(warm.ceiling, ceiling),
        ),
    ]  # fmt: skip
    for target in targets:
        lines.append(
            table_row(
                target.label,
                queries[target.path],
                *figures(cold.pages[target.path], ceiling),
                *figures(warm.pages[target.path], ceiling),
            )
        )
    return lines


def render_report(database, targets, queries, phases, args, facts):
    cold, warm = phases["cold"], phases["warm"]
    memory = "; ".join(
        f"{phase.name} {', '.join(f'{mib:.0f}' for mib in phase.memory_mib)} MiB"
        for phase in phases.values()
    )
    lines = [
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench`: "
        f"{database.public_articles:,} public articles on {database.engine}; each URL "
        f"{WARMUP_REQUESTS} warm-up requests, then {args.duration} s of load over "
        f"{args.connections} connections on {HOST}. *Cold*: the page cache off "
        "(`EDGE_CACHE=False`), Django renders every request; *warm*: the page cache on, the "
        "page in it. *Share*: of the ceiling's req/s, a fixed answer from Django with nothing in "
        "front (cold); on the warm server the page cache looks that answer up first.",
        "",
        *render_table(targets, queries, cold, warm),
        "",
        f"- Machine: {facts['cpus']} cores ({facts['cpu']}), {database.engine} on the same "
        f"machine; load average before the run {facts['load before']}, after "
        f"{facts['load after']} (1, 5, 15 min)",
        f"- Server: {cold.workers}; Python {platform.python_version()}, "
        f"Django {django.get_version()}; load from {facts['client']} on the same cores",
        f"- Resident memory per worker after the load (VmRSS): {memory}",
        f"- Articles: {database.sample_articles:,} synthetic; seed: {database.seed}",
        "- Queries: one cold render of each page in the benchmark process (Django's test "
        "client); a warm hit makes one (the content version)",
    ]
    return "\n".join(lines) + "\n"


def write_readme(report):
    text = README.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        say(f"README.md has no {README_START} … {README_END} block; not written.")
        return
    text = f"{text[: start + len(README_START)]}\n{report}{text[end:]}"
    README.write_text(text, encoding="utf-8")
    say("Written to README.md")


# Main -------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fresh", action="store_true", help="delete the SQLite file first")
    parser.add_argument("--count", type=int, default=10_000, help="sample articles to seed")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--no-wrk", action="store_true", help="use the Python client")
    parser.add_argument("--no-readme", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    for name in ("count", "duration", "connections"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be 1 or more")
    return args, parser


def interrupt(signum, frame):
    raise KeyboardInterrupt


def load_client(args, scratch):
    """The load generator: wrk when installed, else Python threads; and its description."""
    wrk = None if args.no_wrk else shutil.which("wrk")
    if not wrk:
        return load_python, f"Python http.client, {args.connections} threads"
    script = scratch / "count-non2xx.lua"
    script.write_text(WRK_SCRIPT)

    def client(port, path, connections, duration):
        return load_wrk(wrk, script, port, path, connections, duration)

    return client, wrk_version(wrk)


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

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as name:
        scratch = Path(name)
        client, client_name = load_client(args, scratch)
        os.environ.update(production_env(database_url, media, scratch))
        django.setup()
        try:
            database = prepare_database(database_url, args.count)
            database.timings["collectstatic"] = manage("collectstatic", "--noinput", "-v", "0")
            targets = pick_targets()
            queries = count_queries(targets)
            phases = {phase: run_phase(phase, targets, args, client, scratch) for phase in PHASES}
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

    facts = {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "client": client_name,
        "load before": load_before,
        "load after": load_average(),
    }
    report = render_report(database, targets, queries, phases, args, facts)
    say("", report)
    failed = [
        m.target.path
        for phase in phases.values()
        for m in [phase.ceiling, *phase.pages.values()]
        if m.errors or m.note
    ]
    if failed:
        say("error: not measured, or non-2xx responses, from " + ", ".join(failed))
        return 1
    if not args.no_readme:
        write_readme(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
