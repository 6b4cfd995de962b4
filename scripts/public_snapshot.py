"""Fetch every public page, download and API response, and compare two such snapshots.

A refactor must not change what the public sees. Run this against a database
holding the full record before and after the change, then compare:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snap .venv/bin/python \
        scripts/public_snapshot.py take var/snapshot-before
    ... change the code, re-sync the same data into a fresh database ...
    .venv/bin/python scripts/public_snapshot.py take var/snapshot-after
    .venv/bin/python scripts/public_snapshot.py compare var/snapshot-before var/snapshot-after

``take`` requests, in process through Django's test client: the home page, the
lists with a spread of filters, every vote page, every country page, the vetoes
and P5 pages with every chart download, the full dumps, the feeds, the data
dictionary, the symbol redirects, and every API endpoint. Each response is
saved as status, content type and body. What legitimately differs between two
runs (CSRF tokens, the time an import ran) is masked before saving, so
``compare`` reports only real differences, and exits non-zero when there are any.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Moments that differ between two loads of the same data: when the import ran,
# when a row was saved. Dates of votes (no time of day) are kept.
MASKS = [
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
        'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"), "<datetime>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:\+00:00| UTC)?"), "<datetime>"),
    # With DEBUG on, Django's technical 404 page names the Python function of the
    # view ("Raised by: resolutions.views.detail"), which a refactor may move; the
    # public, with DEBUG off, gets templates/404.html, which names none.
    (
        re.compile(r'(<th scope="row">Raised by:</th>\s*<td>)[^<]*(</td>)'),
        r"\1<view>\2",
    ),
]

FILTERS = [
    "",
    "?country=ghana&position=N",
    "?country=russian-federation&position=N",
    "?country=united-states&position=A",
    "?year_from=1990&year_to=1999",
    "?outcome=vetoed",
    "?outcome=not_adopted",
    "?outcome=without_vote",
    "?outcome=unknown",
    "?vetoed_by=RUS",
    "?vetoed_by=USA&year_from=2000",
    "?topic=sanctions",
    "?q=Syria",
    "?q=S/2022/431",
    "?pair=CHN-USA&pair_agreed=no",
    "?pair=FRA-GBR&pair_agreed=yes",
    "?divided=yes",
    "?divided=no&year_from=2010",
    "?sort=date",
    "?sort=-date&page=3",
    "?page=10&per_page=100",
    "?position=N",
    "?year_from=abc",
    "?year_from=2000&year_to=1990",
]
P5_QUERIES = ["", "?veto_from=1990&veto_to=2020&matrix_from=2000&pair=FRA-GBR&div_from=1970"]
SYMBOLS = [
    "/S/2022/431",
    "/S/9696",
    "/S/RES/2627(2022)",
    "/S/RES/2627%20(2022)",
    "/S/PV.9048",
    "/S/RES/99999(2099)",
    "/search/?q=S/2022/431",
    "/search/?q=2627",
    "/search/?q=SC/14911",
    "/search/?q=sanctions",
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def urls() -> list[str]:
    from resolutions.models import Draft
    from votes.models import MemberState

    found = ["/", "/data/", "/countries/", "/feeds/votes.atom", "/feeds/vetoes.atom"]
    for query in FILTERS:
        found += [f"/votes/{query}", f"/vetoes/{query}"]
        found += [f"/votes.csv{query}", f"/votes.json{query}"]
    found += ["/votes.csv?rows=votes", "/votes.csv?rows=votes&country=ghana"]
    for query in P5_QUERIES:
        found.append(f"/p5/{query}")
        for chart in ("vetoes", "agreement", "pair", "divisions"):
            found += [f"/p5/{chart}.csv{query}", f"/p5/{chart}.json{query}"]
            found.append(f"/api/v1/p5/{chart}/{query}")
    for query in ["", "?from=1990&to=2000", "?from=2010", "?from=abc"]:
        found += [f"/p5/elected/{query}", f"/p5/elected.csv{query}", f"/p5/elected.json{query}"]
    found += ["/p5/method/", "/sitemap.xml", "/api/v1/", "/api/v1/docs/"]
    found += [f"/sitemap-{section}.xml" for section in ("pages", "votes", "countries")]
    found += ["/sitemap-votes.xml?p=2", "/sitemap-votes.xml?p=999"]
    for chart in ("vetoes", "agreement", "pair", "divisions"):
        for query in P5_QUERIES:
            found += [f"/p5/{chart}/card.png{query}", f"/p5/{chart}/embed/{query}"]
    found += [f"/feeds/seats/{code}.atom" for code in ("CHN", "FRA", "RUS", "GBR", "USA")]
    found += SYMBOLS
    pks = Draft.objects.published().order_by("pk").values_list("pk", flat=True)
    for n, pk in enumerate(pks):
        found += [f"/votes/{pk}/", f"/api/v1/votes/{pk}/", f"/votes/{pk}/embed/"]
        if n % 20 == 0:  # a share card is a PNG drawn per vote: a sample is enough
            found.append(f"/votes/{pk}/card.png")
    for slug in MemberState.objects.order_by("slug").values_list("slug", flat=True):
        found += [f"/countries/{slug}/", f"/feeds/countries/{slug}.atom"]
        found += [f"/countries/{slug}/?position=N", f"/api/v1/member-states/{slug}/"]
    found += [
        "/api/v1/votes/",
        "/api/v1/votes/?country=ghana&position=N",
        "/api/v1/votes/?page=5",
        "/api/v1/member-states/",
        "/api/v1/vetoes/",
        "/api/v1/vetoes/?page=2",
        "/api/v1/schema/",
        "/api/v1/nowhere/",
        "/votes/999999/",
    ]
    return found


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def take(folder: Path) -> None:
    setup_django()
    from django.test import Client, override_settings

    folder.mkdir(parents=True, exist_ok=True)
    client = Client()
    index = {}
    addresses = urls()
    for n, url in enumerate(addresses, 1):
        # One client asking for thousands of lists, downloads and API pages is what
        # the rate limits refuse: with them on, which answers are a 429 depends on
        # the clock, and two snapshots of the same code differ.
        with override_settings(RATELIMIT_ENABLE=False):
            response = client.get(url)
        text = mask(body_of(response).decode("utf-8", errors="replace"))
        name = hashlib.sha256(url.encode()).hexdigest()[:20]
        kind, location = response.get("Content-Type", ""), response.get("Location", "")
        head = f"{response.status_code} {kind} {location}"
        (folder / name).write_text(f"{head}\n{text}", encoding="utf-8")
        index[url] = name
        if n % 500 == 0:
            print(f"{n}/{len(addresses)}", file=sys.stderr)
    (folder / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    print(f"{len(addresses)} responses saved in {folder}")


def compare(before: Path, after: Path, shown: int = 20) -> int:
    old = json.loads((before / "index.json").read_text())
    new = json.loads((after / "index.json").read_text())
    differing = []
    for url in sorted(set(old) | set(new)):
        if url not in old or url not in new:
            differing.append((url, ["only in " + ("after" if url in new else "before")]))
            continue
        # Masked again, so that a mask added since ``before`` was taken applies to it.
        a = mask((before / old[url]).read_text(encoding="utf-8")).splitlines()
        b = mask((after / new[url]).read_text(encoding="utf-8")).splitlines()
        if a != b:
            diff = list(difflib.unified_diff(a, b, "before", "after", n=1, lineterm=""))
            differing.append((url, diff))
    for url, diff in differing[:shown]:
        print(f"--- {url}")
        print("\n".join(diff[:40]))
    same = len(set(old) & set(new)) - sum(1 for _, d in differing if not d[0].startswith("only"))
    print(f"{same} of {len(set(old) | set(new))} responses identical; {len(differing)} differ")
    return 1 if differing else 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "take":
        take(Path(argv[2]))
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        return compare(Path(argv[2]), Path(argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
