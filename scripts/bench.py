"""Benchmarks behind docs/performance.md (`make bench`).

Speed and memory targets are measured here, on PostgreSQL, not in the test
suite. Each benchmark runs the real management commands in a fresh process
against a scratch database, and prints one row per measurement with its
target, so the numbers in docs/performance.md can be reproduced with one
command.

    make bench                      # all benchmarks
    .venv/bin/python scripts/bench.py import
    .venv/bin/python scripts/bench.py parse   # no database needed
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


class Refused(Exception):
    """A page answered anything but 200: timing it would measure a redirect or an error."""


def page_env(static_root: str) -> dict[str, str]:
    """The production configuration (DEBUG off), as `make serve` runs it.

    With DEBUG unset the bench measured debug pages; with DEBUG off and nothing
    else, every page was a 301 to https. Requests come as https (``secure=True``,
    as from a TLS-terminating proxy); the static files are collected into
    ``static_root``; the page cache is off, so that the views are measured.
    """
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
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


def measure(client, path: str, timed: int = TIMED) -> list:
    """[path, median s, slowest s, queries, bytes] of one page, read as a browser would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    checked(path, client.get(path, secure=True))  # warm the caches once
    times = []
    for _ in range(timed):
        start = time.perf_counter()
        checked(path, client.get(path, secure=True))
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        response = checked(path, client.get(path, secure=True))
    return [path, statistics.median(times), max(times), len(queries), len(response.content)]


def pages_child(paths: list[str]) -> None:
    """In the child process (Django set up): one JSON line per page; exit 2 on a refusal."""
    from django.test import Client

    client = Client(raise_request_exception=False)  # a 500 is an answer, refused below
    for path in paths:
        try:
            print(json.dumps(measure(client, path)), flush=True)
        except Refused as refused:
            sys.exit(f"Refused: {refused}")


PAGES_CHILD = (
    "import json, sys\n"
    "sys.path.insert(0, 'scripts')\n"
    "import django\n"
    "django.setup()\n"
    "from bench import pages_child\n"
    "pages_child(json.loads(sys.argv[1]))\n"
)


def run_pages(paths: list[str], env: dict[str, str]) -> list[list]:
    """The measurements of every page, or exit non-zero saying which page refused."""
    done = subprocess.run(
        [sys.executable, "-c", PAGES_CHILD, json.dumps(paths)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"bench pages failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def bench_pages() -> None:
    import tempfile

    print(f"\n### Pages with the whole record (PostgreSQL, DEBUG off; median of {TIMED})\n")
    print("| page | median | slowest | queries | HTML | target |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="sc-votes-static-") as static_root:
        env = page_env(static_root)
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
        measured = run_pages([p for p, _ in PAGES], env)
    names = dict(PAGES)
    for path, median, slowest, queries, size in measured:
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


BENCHMARKS = {
    "parse": bench_parse,
    "import": bench_import,
    "sync": bench_sync,
    "export": bench_export,
    "pages": bench_pages,
    "release": bench_release,
    "fresh": bench_fresh_clone,
}
# export and pages need the record loaded; sync leaves it loaded.
NEEDS_RECORD = {"export", "pages", "release"}


def main(names: list[str]) -> None:
    if not DATA.is_dir():
        sys.exit(f"The official datasets are not at {DATA} (set SHARED_DATA_DIR).")
    print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {DATABASE_URL}")
    loaded = False
    for name in names or BENCHMARKS:
        if name in NEEDS_RECORD and not loaded:
            loaded_database()
        BENCHMARKS[name]()
        loaded = loaded or name == "sync"


if __name__ == "__main__":
    main(sys.argv[1:])
