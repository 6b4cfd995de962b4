"""Benchmarks behind docs/performance.md (`make bench`).

Speed and memory targets are measured here, on PostgreSQL, not in the test
suite. Each benchmark runs the real management commands in a fresh process
against a scratch database, and prints one row per measurement with its
target, so the numbers in docs/performance.md can be reproduced with one
command.

    make bench                      # the one table (bench_table): 1x and 10x side by side
    .venv/bin/python scripts/bench.py all     # every benchmark below, then the table
    .venv/bin/python scripts/bench.py import
    .venv/bin/python scripts/bench.py parse   # no database needed
    .venv/bin/python scripts/bench.py scaled [PATH ...]   # the table's pages only,
                                    # reusing the 1x and 10x databases when they exist

The table measures, in one run: every public page and download at 1x and at 10x
the record (``manage.py bench_scale --factor 10`` grows a copy of the synced
database, ``<name>_10x``), server time, queries and SQL time; requests/s under
gunicorn against a bare view and a one-query view (``BENCH=1``, config/bench.py),
each page served from the page cache; the sync against psql's ``\\copy`` of the
same rows; and the peak memory of each. Any answer but a 200 stops it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SHARED_DATA_DIR", REPO.parent / "shared" / "data"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sc_votes_bench"
)
HISTORY = DATA / "undl_sc_voting" / "reconstructed_1946_2021_DERIVED.csv.gz"
MEMBERSHIP = DATA / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"


def fresh_database() -> None:
    """Drop and recreate the scratch database, then migrate it."""
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0")


# The CPU seconds (user and system) of the last command manage() ran: on a shared
# machine the wall time also counts the waits for the other jobs' cores.
LAST = {"cpu": 0.0}


def manage(*args: str, database_url: str = DATABASE_URL) -> tuple[float, float, str]:
    """Run manage.py in a new process; return (seconds, peak MB of that process, output)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": "bench-only"}
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, so each command
    # is measured through a small wrapper that reports its own peak.
    code = (
        "import resource, sys, runpy; sys.argv = ['manage.py', *sys.argv[1:]];\n"
        "try:\n    runpy.run_path('manage.py', run_name='__main__')\n"
        "finally:\n"
        "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    print(f'PEAK_KB={used.ru_maxrss}', file=sys.stderr)\n"
        "    print(f'CPU_S={used.ru_utime + used.ru_stime}', file=sys.stderr)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = 0.0
    for line in done.stderr.splitlines():
        if line.startswith("PEAK_KB="):
            peak = int(line.split("=", 1)[1]) / 1024
        if line.startswith("CPU_S="):
            LAST["cpu"] = float(line.split("=", 1)[1])
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, peak, done.stdout


def row(what: str, seconds: float, peak: float, target: str) -> None:
    print(f"| {what} | {seconds:.2f} s | {peak:.0f} MB | {target} |", flush=True)


def bench_import() -> None:
    print("\n### Import (PostgreSQL, one process per command)\n")
    print("| what | wall time | peak memory | target |")
    print("|---|---|---|---|")
    fresh_database()
    manage("import_dppa", str(MEMBERSHIP), "--no-progress")
    seconds, peak, _ = manage("import_undl", str(HISTORY), "--no-progress", "--data-version", "x")
    row("history 1946–2021, 38,378 rows, empty database", seconds, peak, "< 10 s, < 300 MB")
    seconds, peak, out = manage("import_undl", str(HISTORY), "--no-progress", "--data-version", "x")
    assert "nothing changed" in out, out
    row("the same file again (nothing changes)", seconds, peak, "< 5 s, < 300 MB")


def bench_sync() -> None:
    """The whole sync, against COPY of the very rows it leaves (the floor of any load)."""
    print("\n### sync_un_data (PostgreSQL, one process per command)\n")
    print("| what | wall time | CPU (the process) | peak memory | target |")
    print("|---|---|---|---|---|")
    fresh_database()
    empty = sync_row("every source, empty database", "≤ 3 s")
    sync_row("again, nothing changes: skipped", "≤ 1 s", "no source is loaded again")
    sync_row("again with --full: every source, nothing changes", "", "nothing changed", "--full")
    copied, rows = copy_of_the_record()
    print(f"| `\\copy` of the same {rows:,} rows into empty tables | {copied:.2f} s |  |  |  |")
    print(f"\nThe empty-database sync takes {empty / copied:.0f}× the `\\copy` of its rows.")


def sync_row(what: str, target: str, expect: str = "", *options: str) -> float:
    seconds, peak, out = manage("sync_un_data", "--from-dir", str(DATA), "--no-progress", *options)
    assert expect in out, out
    cpu = LAST["cpu"]
    print(f"| sync_un_data {what} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} MB | {target} |")
    return seconds


def copy_of_the_record() -> tuple[float, int]:
    """Seconds psql's ``\\copy`` takes to load every row the sync wrote into empty
    copies of the tables (indexes and constraints but foreign keys), and how many rows."""
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", DATABASE_URL]
    listed = subprocess.run(
        [*psql, "-At", "-c", _RECORD_TABLES], capture_output=True, text=True, check=True
    )
    tables = listed.stdout.split()
    folder = Path(tempfile.mkdtemp(prefix="bench-copy-"))
    out = [f"\\copy {t} TO '{folder / t}.csv' CSV" for t in tables]
    out += [f"CREATE TABLE bench_{t} (LIKE {t} INCLUDING ALL);" for t in tables]
    (folder / "out.sql").write_text("\n".join(out) + "\n")
    subprocess.run([*psql, "-f", str(folder / "out.sql")], check=True)
    (folder / "in.sql").write_text(
        "BEGIN;\n"
        + "".join(f"\\copy bench_{t} FROM '{folder / t}.csv' CSV\n" for t in tables)
        + "COMMIT;\n"
    )
    start = time.perf_counter()
    subprocess.run([*psql, "-f", str(folder / "in.sql")], check=True)
    seconds = time.perf_counter() - start
    rows = sum(len((folder / f"{t}.csv").read_bytes().splitlines()) for t in tables)
    drop = "".join(f"DROP TABLE bench_{t};" for t in tables)
    subprocess.run([*psql, "-c", drop], check=True)
    shutil.rmtree(folder)
    return seconds, rows


# The record's tables the sync fills: every table of the two apps with rows,
# their audit trails aside.
_RECORD_TABLES = (
    "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0 "
    "AND (relname LIKE 'votes\\_%' OR relname LIKE 'resolutions\\_%') "
    "AND relname NOT LIKE '%historical%' ORDER BY relname"
)


def loaded_database() -> None:
    """A scratch database holding the whole record, as production would."""
    fresh_database()
    manage("sync_un_data", "--from-dir", str(DATA), "--no-progress")


def bench_export() -> None:
    print("\n### Streamed export of the whole record (PostgreSQL)\n")
    print("| what | wall time | peak memory | target |")
    print("|---|---|---|---|")
    for fmt, rows in (("csv", "one row per member vote"), ("json", "drafts with their votes")):
        seconds, peak, _ = manage("export_votes", "--format", fmt, "--output", os.devnull)
        row(f"full dump, {fmt.upper()}, {rows}", seconds, peak, "< 100 MB")
    seconds, peak, _ = manage("check")
    row("baseline: Django started, nothing exported", seconds, peak, "")


PAGES = [
    ("/", "home"),
    ("/votes/", "votes list, unfiltered"),
    ("/votes/?country=ghana&position=N", "votes list, Ghana voted no"),
    # The slowest filter combination found (issue 12: 1.7-1.9 s before the pair,
    # divided and topic filters became uncorrelated subqueries).
    ("/votes/?topic=middle&pair=RUS-USA", "votes list, a topic and a pair"),
    ("/votes/?topic=middle&divided=yes", "votes list, a topic and the P5 divided"),
    ("/p5/", "P5 divisions"),
    ("/vetoes/", "vetoes"),
    ("/countries/russian-federation/", "country page"),
    ("/api/v1/votes/", "API votes list"),
]
TIMED = 15
SQL_SAMPLES = 5


class Refused(Exception):
    """A page answered anything but 200: timing it would measure a redirect or an error."""


def page_env(static_root: str, database_url: str = DATABASE_URL) -> dict[str, str]:
    """The production configuration (DEBUG off), as `make serve` runs it.

    With DEBUG unset the bench measured debug pages; with DEBUG off and nothing
    else, every page was a 301 to https. Requests come as https (``secure=True``,
    as from a TLS-terminating proxy); the static files are collected into
    ``static_root``; the page cache is off, so that the views are measured.
    """
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": static_root,
        "PAGE_CACHE_SECONDS": "0",
        # Every timed request comes from one address within a minute.
        "RATELIMIT_ENABLE": "0",
    }


def checked(path: str, response):
    """The response, or Refused when it is not a 200."""
    if response.status_code != 200:
        where = f" to {response['Location']}" if response.has_header("Location") else ""
        raise Refused(f"{path} answered {response.status_code}{where}, not 200: not timed")
    return response


def read(client, path: str) -> tuple[int, bool]:
    """GET path as a browser would, the body read to its end (a stream queries as it is
    read); (its size, whether it streamed), or Refused when it is not a 200."""
    response = checked(path, client.get(path, secure=True))
    if response.streaming:
        return sum(len(part) for part in response.streaming_content), True
    return len(response.content), False


# Slow pages are timed fewer times: at most this long per page.
TIME_BOX = 3.0


def measure(client, path: str, timed: int = TIMED) -> list:
    """[path, median s, slowest s, queries, bytes, SQL s, peak Python heap bytes, rows] of
    one page (rows: a download's, counted by streamed_rows; None for a page).

    A page is warmed once, its queries counted and their time summed on each of
    SQL_SAMPLES more requests (the most queries, the median time: one request's SQL
    time of a few milliseconds moved by half between two runs on the shared machine),
    then it is timed up to ``timed`` times within TIME_BOX seconds. A streamed
    download, which no cache holds and which takes seconds, is counted and timed
    by its first request alone.
    The peak heap (tracemalloc: Python's own allocations) comes from a last one.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size, streamed = read(client, path)
    times = [time.perf_counter() - start] if streamed else []
    samples = [queries]
    if not streamed:  # that was the warm-up: count warm requests' queries
        samples = []
        for _ in range(SQL_SAMPLES):
            with CaptureQueriesContext(connection) as queries:
                read(client, path)
            samples.append(queries)
    # Read now: the next request empties the log they are sliced from.
    count = max(len(sample) for sample in samples)
    sql = statistics.median(
        sum(float(q["time"]) for q in sample.captured_queries) for sample in samples
    )
    box = time.perf_counter() + TIME_BOX
    while len(times) < timed and (not times or time.perf_counter() < box):
        start = time.perf_counter()
        read(client, path)
        times.append(time.perf_counter() - start)
    peak = heap_peak(client, path)
    rows = streamed_rows(client, path) if streamed else None
    return [path, statistics.median(times), max(times), count, size, sql, peak, rows]


def streamed_rows(client, path: str) -> int:
    """The rows a download streams, counted in the body as it comes (an untimed read of
    its own): a CSV's records after the header, parsed, since a quoted cell may hold a
    line break; a JSON dump's drafts and their member votes, one draft a line as
    resolutions.exports writes them."""
    import codecs
    import csv

    response = checked(path, client.get(path, secure=True))
    text = codecs.iterdecode(response.streaming_content, "utf-8")
    if "json" not in response["Content-Type"]:
        return sum(1 for _ in csv.reader(_lines(text))) - 1
    rows = 0
    for line in _lines(text):
        item = line.strip().rstrip(",")  # a draft's line ends in the comma before the next
        if item.startswith("{") and not item.startswith('{"licence"'):
            rows += 1 + len(json.loads(item)["votes"])
    return rows


def _lines(chunks):
    """Lines (each with its \\n) from text chunks cut anywhere, one line in memory at a time."""
    rest = ""
    for chunk in chunks:
        *whole, rest = (rest + chunk).split("\n")
        for line in whole:
            yield line + "\n"
    if rest:
        yield rest


def heap_peak(client, path: str) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        read(client, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def pages_child(paths: list[str]) -> None:
    """In the child process (Django set up): one JSON line per page; exit 2 on a refusal.

    ``{seed}`` in a path is the id of S/2022/431 in this database.
    """
    from django.test import Client

    from resolutions.models import Draft

    seed = None
    if any("{seed}" in path for path in paths):
        seed = Draft.objects.filter(draft_symbol="S/2022/431").values_list("pk", flat=True)[0]
    client = Client(raise_request_exception=False)  # a 500 is an answer, refused below
    for path in paths:
        try:
            measured = measure(client, path.format(seed=seed))
        except Refused as refused:
            sys.exit(f"Refused: {refused}")
        print(json.dumps([path, *measured[1:]]), flush=True)


PAGES_CHILD = (
    "import json, sys\n"
    "sys.path.insert(0, 'scripts')\n"
    "import django\n"
    "django.setup()\n"
    "from bench import pages_child\n"
    "pages_child(json.loads(sys.argv[1]))\n"
)


def run_pages(paths: list[str], env: dict[str, str]) -> list[list]:
    """The measurements of every page, or exit non-zero saying which page refused.

    Each page's line is echoed to stderr as it comes, so a long run shows its progress.
    """
    import tempfile

    # stderr to a file: a pipe left unread could fill and stall the child.
    with tempfile.TemporaryFile("w+") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", PAGES_CHILD, json.dumps(paths)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        lines = []
        for line in child.stdout:
            print(f"  measured {line.strip()}", file=sys.stderr, flush=True)
            lines.append(line)
        child.wait()
        stderr.seek(0)
        errors = stderr.read()
    if child.returncode:
        sys.exit(f"bench pages failed (exit {child.returncode}):\n{''.join(lines)}{errors}")
    return [json.loads(line) for line in lines]


def collect_static(env: dict[str, str]) -> None:
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if collected.returncode:
        sys.exit(f"collectstatic failed:\n{collected.stderr}")


def bench_pages() -> None:
    import tempfile

    print(f"\n### Pages with the whole record (PostgreSQL, DEBUG off; median of {TIMED})\n")
    print("| page | median | slowest | queries | HTML | target |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="sc-votes-static-") as static_root:
        env = page_env(static_root)
        collect_static(env)
        measured = run_pages([p for p, _ in PAGES], env)
    names = dict(PAGES)
    for path, median, slowest, queries, size, *_ in measured:
        target = "< 300 ms" if path in ("/", "/p5/") or path.startswith("/votes/") else ""
        print(
            f"| {names[path]} (`{path}`) | {median * 1000:.0f} ms | {slowest * 1000:.0f} ms "
            f"| {queries} | {size / 1024:.0f} KB | {target} |"
        )


MEETINGS = DATA / "dhl_meetings_tables"


def bench_parse() -> None:
    """Parsers touch no database: each is timed alone, in a fresh process."""
    print("\n### Parsing the Library's meetings tables (no database)\n")
    print("| what | wall time | peak memory | target |")
    print("|---|---|---|---|")
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from resolutions.sources.dhl_meetings import parse\n"
        "start = time.perf_counter()\n"
        "parsed = parse(Path(sys.argv[1]))\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps([seconds, peak, len(parsed.records)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(MEETINGS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak, records = json.loads(done.stdout)
    pages = sum(1 for p in MEETINGS.glob("scact*_table_en.html") if "veto" not in p.name)
    what = f"every yearly page, 1946–2022 ({pages} files, {records:,} records)"
    row(what, seconds, peak, "< 5 s")


def bench_release() -> None:
    """Build and load the data release (release/), on PostgreSQL and on SQLite."""
    import tempfile

    print("\n### The data release (`release/`; one process per command)\n")
    print("| what | wall time | peak memory | target |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="sc-votes-bench-") as scratch:
        seconds, peak, _ = manage("build_release", "--out", scratch)
        row("build_release, the whole record (PostgreSQL)", seconds, peak, "none set")
        size = sum(p.stat().st_size for p in Path(scratch).glob("*.csv.gz"))
        print(
            f"| (release size: {size / 1e6:.2f} MB in {len(list(Path(scratch).glob('*.gz')))}"
            " gzip'd CSVs) | | | a few MB |"
        )
    fresh_database()
    seconds, peak, _ = manage("load_release")
    row("load_release into an empty database (PostgreSQL)", seconds, peak, "< 10 s")
    with tempfile.TemporaryDirectory(prefix="sc-votes-bench-") as scratch:
        sqlite = f"sqlite:///{scratch}/db.sqlite3"
        manage("migrate", "--no-input", "-v0", database_url=sqlite)
        seconds, peak, _ = manage("load_release", database_url=sqlite)
        row("load_release into an empty database (SQLite, as `make run`)", seconds, peak, "< 10 s")
        seconds, peak, _ = manage("build_release", "--out", scratch + "/out", database_url=sqlite)
        row("build_release, the whole record (SQLite)", seconds, peak, "none set")


def bench_fresh_clone() -> None:
    """From `git clone` to the home page listing the latest vote: new .venv, no UN source."""
    import gzip
    import signal
    import socket
    import tempfile
    import urllib.request

    with gzip.open(REPO / "release" / "drafts.csv.gz", "rt") as drafts:
        import csv

        newest = max(csv.DictReader(drafts), key=lambda r: (r["date"], r["resolution_number"]))
    expected = (
        f"S/RES/{newest['resolution_number']}"
        if newest["resolution_number"]
        else (newest["draft_symbol"])
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    print("\n### A fresh clone: `git clone`, then `make run` (new .venv, offline)\n")
    print("| what | wall time | target |")
    print("|---|---|---|")
    unset = ("DATABASE_URL", "UN_DATA_DIR", "SC_VOTES_DATA", "VIRTUAL_ENV", "DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    # Offline: no UN source is reachable (PyPI, for the install, is).
    for name in (
        "UN_UNDL_FILE_LIST_URL",
        "UN_DHL_VETO_URL",
        "UN_DHL_MEETINGS_URL",
        "UN_UNXML_ADOPTED_URL",
        "UN_UNXML_NOT_ADOPTED_URL",
        "UN_DPPA_MEMBERSHIP_URL",
    ):
        env[name] = "http://127.0.0.1:9/offline"
    with tempfile.TemporaryDirectory(prefix="sc-votes-clone-") as scratch:
        clone = Path(scratch) / "sc-votes"
        start = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        with (Path(scratch) / "make-run.log").open("w") as log:
            server = subprocess.Popen(
                ["make", "run", f"PORT={port}"],
                cwd=clone,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                seconds = None
                while time.perf_counter() - start < 300 and server.poll() is None:
                    try:
                        url = f"http://127.0.0.1:{port}/"
                        with urllib.request.urlopen(url, timeout=5) as response:
                            if expected in response.read().decode():
                                seconds = time.perf_counter() - start
                                break
                    except OSError:
                        time.sleep(0.25)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        if seconds is None:
            log = (Path(scratch) / "make-run.log").read_text()
            sys.exit(f"make run never served the latest vote:\n{log}")
    what = f"clone to the home page listing {expected} ({newest['date']})"
    print(f"| {what} | {seconds:.1f} s | < 60 s |")


# --- One table: 1x against 10x, requests/s against a bare view, sync against \copy ---

FACTOR = 10
# Every public page and download (tests/resolutions/test_budgets_at_scale.py lists
# them all); ``{seed}`` is S/2022/431's id.
SCALED_PAGES = [
    "/",
    "/votes/",
    "/votes/?country=ghana&position=N",
    "/votes/?q=sanctions",
    "/votes/?topic=middle&pair=RUS-USA",
    "/votes/{seed}/",
    "/votes/{seed}/embed/",
    "/votes/{seed}/card.png",
    "/vetoes/",
    "/countries/",
    "/countries/russian-federation/",
    "/p5/",
    "/p5/method/",
    "/p5/elected/",
    "/p5/elected.csv",
    "/p5/vetoes.json",
    "/p5/agreement.json",
    "/p5/pair.json",
    "/p5/divisions.json",
    "/p5/agreement/card.png",
    "/p5/divisions/embed/",
    "/data/",
    "/sitemap.xml",
    "/sitemap-votes.xml",
    "/feeds/votes.atom",
    "/feeds/vetoes.atom",
    "/feeds/countries/russian-federation.atom",
    "/feeds/seats/RUS.atom",
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/api/v1/votes/",
    "/api/v1/votes/{seed}/",
    "/api/v1/member-states/",
    "/api/v1/member-states/russian-federation/",
    "/api/v1/vetoes/",
    "/api/v1/p5/agreement/",
]
DOWNLOADS = ["/votes.csv", "/votes.csv?rows=votes", "/votes.json", "/votes.csv?country=ghana"]
BARE, ONE_QUERY = "/_bench/bare/", "/_bench/one-query/"
# Every page is served under gunicorn, /api/v1/schema/ included: its 500s to the first
# concurrent requests were drf-spectacular's thread-unsafe generation, now built by one
# thread at a time (resolutions.api.views.SchemaView).
SERVED = SCALED_PAGES


def with_name(url: str, suffix: str) -> str:
    parsed = urlparse(url)
    return parsed._replace(path=f"{parsed.path}{suffix}").geturl()


def admin_sql(*statements: str) -> None:
    """Statements on the server's maintenance database (CREATE and DROP DATABASE)."""
    import psycopg

    admin = urlparse(DATABASE_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def db_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def clone_database(source: str, target: str) -> None:
    """target, dropped first, as a copy of source (PostgreSQL's TEMPLATE)."""
    admin_sql(
        f'DROP DATABASE IF EXISTS "{db_name(target)}"',
        f'CREATE DATABASE "{db_name(target)}" TEMPLATE "{db_name(source)}"',
    )


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def timed_child(args: list[str], **kwargs) -> tuple[float, float]:
    """Run a command; (seconds, its own peak resident MB, from wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(args, **kwargs)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"{' '.join(args)} failed (exit {child.returncode})")
    return seconds, usage.ru_maxrss / 1024


def record_tables(url: str) -> list[tuple[str, int]]:
    """The record's tables (resolutions_*, votes_*) that hold rows, with their row counts."""
    import psycopg

    with psycopg.connect(url) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND "
                "(tablename LIKE 'resolutions\\_%' OR tablename LIKE 'votes\\_%') ORDER BY 1"
            )
        ]
        counts = [(n, conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in names]
    return [(n, c) for n, c in counts if c]


def copy_the_same_rows(scratch: Path) -> tuple[float, float, int, int]:
    r"""\copy of every row the sync wrote, into an empty migrated database.

    The rows are written out from the synced database first (untimed), the target's
    tables emptied (untimed), then one psql process loads them all in one transaction.
    Returns (seconds, psql's peak MB, rows, tables).
    """
    target = with_name(DATABASE_URL, "_copy")
    tables = record_tables(DATABASE_URL)
    out = "\n".join(f"\\copy \"{t}\" TO '{scratch / t}.copy'" for t, _ in tables)
    subprocess.run(["psql", "-q", DATABASE_URL], input=out, text=True, check=True)
    admin_sql(
        f'DROP DATABASE IF EXISTS "{db_name(target)}"', f'CREATE DATABASE "{db_name(target)}"'
    )
    manage("migrate", "--no-input", "-v0", database_url=target)
    names = ", ".join(f'"{t}"' for t, _ in tables)
    subprocess.run(["psql", "-q", target, "-c", f"TRUNCATE {names} CASCADE"], check=True)
    script = scratch / "load.sql"
    script.write_text(
        "BEGIN;\n"
        + "\n".join(f"\\copy \"{t}\" FROM '{scratch / t}.copy'" for t, _ in tables)
        + "\nCOMMIT;\n"
    )
    seconds, peak = timed_child(["psql", "-q", "-v", "ON_ERROR_STOP=1", target, "-f", str(script)])
    admin_sql(f'DROP DATABASE IF EXISTS "{db_name(target)}"')
    return seconds, peak, sum(c for _, c in tables), len(tables)


def sync_rows() -> list[list[str]]:
    r"""sync_un_data into an empty database and again, against \copy of the same rows.

    Leaves the scratch database holding the synced record (1x)."""
    import tempfile

    fresh_database()
    first, first_peak, _ = manage("sync_un_data", "--from-dir", str(DATA), "--no-progress")
    again, again_peak, out = manage("sync_un_data", "--from-dir", str(DATA), "--no-progress")
    if "nothing changed" not in out:
        sys.exit(f"the second sync changed something:\n{out}")
    with tempfile.TemporaryDirectory(prefix="sc-votes-copy-") as scratch:
        copy, copy_peak, rows, tables = copy_the_same_rows(Path(scratch))
    return [
        [
            "sync_un_data, every source, empty database",
            f"{first:.2f} s",
            "",
            f"{first / copy:.0f}x \\copy",
            "",
            "",
            "",
            f"{first_peak:.0f} MB",
        ],
        [
            "sync_un_data again (nothing changes)",
            f"{again:.2f} s",
            "",
            f"{again / copy:.0f}x \\copy",
            "",
            "",
            "",
            f"{again_peak:.0f} MB",
        ],
        [
            f"psql \\copy of the same {rows:,} rows ({tables} tables, one transaction)",
            f"{copy:.2f} s",
            "",
            "1x",
            "",
            "",
            "",
            f"{copy_peak:.0f} MB (psql)",
        ],
    ]


def scaled_database() -> tuple[str, list[str]]:
    """The synced record copied to <name>_10x and grown there by bench_scale; its row."""
    scaled = with_name(DATABASE_URL, f"_{FACTOR}x")
    clone_database(DATABASE_URL, scaled)
    seconds, peak, _ = manage("bench_scale", "--factor", str(FACTOR), database_url=scaled)
    row = [
        f"bench_scale --factor {FACTOR} (builds the {FACTOR}x copy)",
        "",
        f"{seconds:.2f} s",
        "",
        "",
        "",
        "",
        f"{peak:.0f} MB",
    ]
    return scaled, row


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def page_rows(small: list[list], large: list[list], rps: dict[str, float]) -> list[list[str]]:
    rows = []
    bare = rps.get(BARE)
    for one, ten in zip(small, large, strict=True):
        path = one[0]
        served = rps.get(path)
        # No requests/s at all (bench.py scaled): an empty cell, not "streamed".
        share = (
            f"{served:,.0f} ({served / bare:.0%})"
            if served and bare
            else ("streamed" if rps else "")
        )
        if one[7] is not None:  # a download: the rows it streamed per second, 1x / 10x
            share = f"{share}, " if share else ""
            share += f"{one[7] / one[1]:,.0f} / {ten[7] / ten[1]:,.0f} rows/s"
        rows.append(
            [
                f"`{path}`",
                ms(one[1]),
                ms(ten[1]),
                f"{ten[1] / one[1]:.1f}x",
                f"{one[3]} / {ten[3]}",
                f"{ms(one[5])} / {ms(ten[5])}",
                share,
                f"{one[6] / 2**20:.1f} / {ten[6] / 2**20:.1f} MB heap",
            ]
        )
    return rows


def yardstick_rows(rps: dict[str, float], worker_peak: float) -> list[list[str]]:
    bare = rps[BARE]
    return [
        [
            "bare view (`/_bench/bare/`, BENCH on)",
            "",
            "",
            "",
            "0",
            "",
            f"{bare:,.0f} (100%)",
            f"{worker_peak:.0f} MB / worker",
        ],
        [
            "one-query view (`/_bench/one-query/`)",
            "",
            "",
            "",
            "1",
            "",
            f"{rps[ONE_QUERY]:,.0f} ({rps[ONE_QUERY] / bare:.0%})",
            "",
        ],
    ]


HEADER = [
    "what",
    "1x",
    f"{FACTOR}x",
    f"{FACTOR}x / 1x",
    f"queries 1x / {FACTOR}x",
    f"SQL 1x / {FACTOR}x",
    "req/s cached, gunicorn (share of bare)",
    "peak memory",
]


def print_table(rows: list[list[str]]) -> None:
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for r in rows:
        print("| " + " | ".join(r) + " |", flush=True)


SERVE_WORKERS, SERVE_THREADS = 2, 4
LOADERS, LOADER_THREADS = 2, 2
ROUNDS, ROUND_SECONDS = 2, 1.5
# Each loader stops by itself: after ROUND_SECONDS, or this many requests.
MAX_REQUESTS = 20_000


def hammer(job: tuple[int, str, float]) -> tuple[int, str]:
    """In a loader process: LOADER_THREADS keep-alive clients GET path for ``seconds``.

    Returns (200s answered, "" or the first refusal). Only 127.0.0.1 is ever asked.
    """
    import http.client
    import threading

    port, path, seconds = job
    done, refused = [0], [""]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        count = 0
        while time.perf_counter() < stop and count < MAX_REQUESTS and not refused[0]:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                refused[0] = f"{path} answered {response.status} under gunicorn, not 200"
                break
            count += 1
        conn.close()
        with lock:
            done[0] += count

    threads = [threading.Thread(target=client) for _ in range(LOADER_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], refused[0]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_env(static_root: str, port: int) -> dict[str, str]:
    """page_env as gunicorn serves it: the page cache on (as in production), BENCH on."""
    env = page_env(static_root)
    del env["PAGE_CACHE_SECONDS"]
    return {
        **env,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BENCH": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(SERVE_WORKERS),
        "GUNICORN_THREADS": str(SERVE_THREADS),
        # No recycling: the run's ~100,000 requests would replace each worker about
        # once, and whichever page was timed then measured a new worker rendering
        # it into an empty cache (config/gunicorn.py, GUNICORN_MAX_REQUESTS).
        "GUNICORN_MAX_REQUESTS": "0",
    }


def wait_until_serving(port: int, server) -> None:
    import urllib.request

    for _ in range(240):
        if server.poll() is not None:
            sys.exit("gunicorn stopped before serving")
        try:
            asked = urllib.request.Request(
                f"http://127.0.0.1:{port}{BARE}", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(asked, timeout=2).read()  # noqa: S310 (http, loopback)
            return
        except OSError:
            time.sleep(0.25)
    sys.exit("gunicorn never served the bare view")


def worker_peak_mb(master: int) -> float:
    """The largest peak resident set (VmHWM) among gunicorn's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = [0.0]
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def rounds(port: int, paths: list[str]) -> dict[str, float]:
    """requests/s of each path: median of ROUNDS interleaved rounds; exit on a refusal."""
    import multiprocessing

    found: dict[str, list[float]] = {p: [] for p in paths}
    with multiprocessing.get_context("fork").Pool(LOADERS) as pool:
        # Warm: fill the page cache, refuse a non-200 early. With the loaders' every
        # connection (each keeps to one worker), so that each worker's own cache
        # (local memory) holds the page before it is timed: one worker rendering
        # a heavy page within the round measured the render, not the cache.
        for path in paths:
            warmed = pool.map(hammer, [(port, path, 0.2)] * LOADERS)
            refused = [r for _, r in warmed if r]
            if refused:
                sys.exit(f"Refused: {refused[0]}")
        for _ in range(ROUNDS):
            for path in paths:
                start = time.perf_counter()
                answers = pool.map(hammer, [(port, path, ROUND_SECONDS)] * LOADERS)
                seconds = time.perf_counter() - start
                refused = [r for _, r in answers if r]
                if refused:
                    sys.exit(f"Refused: {refused[0]}")
                found[path].append(sum(n for n, _ in answers) / seconds)
    return {p: statistics.median(v) for p, v in found.items()}


def serve_rps(static_root: str, paths: list[str]) -> tuple[dict[str, float], float]:
    """requests/s of each path under gunicorn on the 1x record; and a worker's peak MB."""
    import signal

    port = free_port()
    server = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "--config", "config/gunicorn.py"],
        cwd=REPO,
        env=serve_env(static_root, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_serving(port, server)
        with_seed = [p.format(seed=seed_id()) for p in paths]
        measured = rounds(port, with_seed)
        peak = worker_peak_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {p: measured[w] for p, w in zip(paths, with_seed, strict=True)}, peak


def seed_id() -> int:
    import psycopg

    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute(
            "SELECT id FROM resolutions_draft WHERE draft_symbol = 'S/2022/431'"
        ).fetchone()
    return row[0]


def bench_table() -> None:
    """`make bench`: one table, measured side by side in one run (docs/performance.md)."""
    import tempfile

    print(f"\n### One run, {FACTOR}x against 1x (PostgreSQL, DEBUG off)\n")
    print(f"Load at the start: {uptime()}\n", flush=True)
    rows = sync_rows()
    scaled, scale_row = scaled_database()
    paths = SCALED_PAGES + DOWNLOADS
    with tempfile.TemporaryDirectory(prefix="sc-votes-static-") as static_root:
        collect_static(page_env(static_root))
        small = run_pages(paths, page_env(static_root))
        large = run_pages(paths, page_env(static_root, scaled))
        rps, worker_peak = serve_rps(static_root, [BARE, ONE_QUERY, *SERVED])
    print_table(
        yardstick_rows(rps, worker_peak) + page_rows(small, large, rps) + rows + [scale_row]
    )
    print(f"\nLoad at the end: {uptime()}")
    print(
        f"\nServer time: median of up to {TIMED} requests within {TIME_BOX:.0f} s (a streamed "
        "download: one), Django's test client in one process (no HTTP), page cache off. "
        f"Queries and SQL time: the most queries and the median SQL time of {SQL_SAMPLES} warm "
        "requests. Peak heap: tracemalloc's peak over one "
        "request (Python allocations only). "
        f"req/s: gunicorn ({SERVE_WORKERS} workers x {SERVE_THREADS} threads) on the 1x record, "
        f"page cache on (local memory), {LOADERS} processes x {LOADER_THREADS} threads of "
        f"keep-alive clients on the same machine, median of {ROUNDS} interleaved rounds of "
        f"{ROUND_SECONDS} s; downloads stream and are not cached. {ROWS_NOTE}"
    )


ROWS_NOTE = (
    "rows/s (a download's, 1x / 10x): the rows it streamed, counted in the body by a read "
    "of its own (a CSV's records, a JSON dump's drafts and their member votes), over its "
    "server time."
)


def database_exists(url: str) -> bool:
    import psycopg

    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(url)])
        return found.fetchone() is not None


def bench_scaled(only: list[str]) -> None:
    """`bench.py scaled [PATH ...]`: only the pages of the table, 1x against 10x.

    The synced database and its 10x copy are reused when they exist (built, as the
    table builds them, when they do not), so a change to a page can be measured again
    in a minute rather than after a sync and a bench_scale. PATHs, when given, limit
    the run to those pages (as SCALED_PAGES and DOWNLOADS spell them).
    """
    import tempfile

    scaled = with_name(DATABASE_URL, f"_{FACTOR}x")
    if not database_exists(DATABASE_URL):
        loaded_database()
    if not database_exists(scaled):
        scaled, _ = scaled_database()
    paths = only or SCALED_PAGES + DOWNLOADS
    print(f"\n### Pages, {FACTOR}x against 1x (PostgreSQL, DEBUG off; databases reused)\n")
    print(f"Load at the start: {uptime()}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="sc-votes-static-") as static_root:
        collect_static(page_env(static_root))
        small = run_pages(paths, page_env(static_root))
        large = run_pages(paths, page_env(static_root, scaled))
    print_table(page_rows(small, large, {}))
    print(f"\nLoad at the end: {uptime()}\n\n{ROWS_NOTE}")


BENCHMARKS = {
    "table": bench_table,
    "parse": bench_parse,
    "import": bench_import,
    "sync": bench_sync,
    "export": bench_export,
    "pages": bench_pages,
    "release": bench_release,
    "fresh": bench_fresh_clone,
}
# export and pages need the record loaded; sync, import and table leave it loaded.
NEEDS_RECORD = {"export", "pages", "release"}


def main(names: list[str]) -> None:
    if not DATA.is_dir():
        sys.exit(f"The official datasets are not at {DATA} (set SHARED_DATA_DIR).")
    print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {DATABASE_URL}")
    print(f"Load: {uptime()}")
    if names[:1] == ["scaled"]:
        bench_scaled(names[1:])
        return
    if names == ["all"]:
        names = list(BENCHMARKS)
    loaded = False
    for name in names or ["table"]:
        if name in NEEDS_RECORD and not loaded:
            loaded_database()
        BENCHMARKS[name]()
        # sync, import and table leave the whole record loaded
        loaded = loaded or name in ("sync", "import", "table")


if __name__ == "__main__":
    main(sys.argv[1:])
