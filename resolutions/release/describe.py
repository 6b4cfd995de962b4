"""What a release says about itself: its sources, a README and a CITATION.cff.

All of it is derived from the database and the package, never from the clock,
so that it is as reproducible as the tables.
"""

from __future__ import annotations

import json

from resolutions.licence import LICENCE, LICENCE_URL
from resolutions.models import SourceImport
from votes.choices import Source

# Where the UN publishes each source: cited as such, whatever mirror an
# installation downloads from (settings.UN_SOURCES).
OFFICIAL = {
    Source.DPPA: (
        "UN DPPA Peace and Security Data Hub",
        "https://api.psdata.un.org/public/data/DPPA-SCMEMBERSHIP/CSV",
    ),
    Source.UNDL: ("Dag Hammarskjöld Library", "https://digitallibrary.un.org/record/4055387"),
    Source.UNXML_ADOPTED: ("UN DGACM", "https://github.com/UNxml/SCresolutions"),
    Source.UNXML: ("UN DGACM", "https://github.com/UNxml/SCresolutions"),
    Source.DHL_VETO: (
        "Dag Hammarskjöld Library",
        "https://www.un.org/depts/dhl/resguide/scact_veto_table_en.htm",
    ),
    Source.DHL_MEETINGS: (
        "Dag Hammarskjöld Library",
        "https://www.un.org/depts/dhl/resguide/scact{year}_table_en.htm",
    ),
}


def _new_entry(source: str) -> dict:
    publisher, url = OFFICIAL.get(source, ("", ""))
    return {
        "title": Source(source).label,
        "path": url,
        "sc_votes:publisher": publisher,
        "sc_votes:source": source,
        "sc_votes:versions": [],
        "sc_votes:sha256": [],
    }


def source_entries() -> list[dict]:
    """One entry per source in the record, with every version and file digest merged."""
    entries: dict[str, dict] = {}
    for source, version, sha256 in SourceImport.objects.order_by("pk").values_list(
        "source", "version", "sha256"
    ):
        entry = entries.setdefault(source, _new_entry(source))
        if version not in entry["sc_votes:versions"]:
            entry["sc_votes:versions"].append(version)
        if sha256 not in entry["sc_votes:sha256"]:
            entry["sc_votes:sha256"].append(sha256)
    for entry in entries.values():
        entry["version"] = "; ".join(v for v in entry["sc_votes:versions"] if v) or "undated"
        if not entry["path"]:
            del entry["path"]
    return list(entries.values())


def readme(package: dict) -> str:
    lines = [
        f"# {package['title']}",
        "",
        f"Data release **{package['version']}**, built by `manage.py build_release` from the "
        "UN's official sources and loaded by `manage.py load_release` (`make run` does it on "
        "a fresh machine). Described by `datapackage.json` (Frictionless Data: a Table Schema "
        "and the SHA-256 of each file).",
        "",
        "## Licence",
        "",
        LICENCE,
        f"Terms: {LICENCE_URL}",
        "",
        "## Sources",
        "",
        "| source | versions | published at |",
        "|---|---|---|",
    ]
    for entry in package["sources"]:
        lines.append(f"| {entry['title']} | {entry['version']} | {entry.get('path', '')} |")
    lines += ["", "## Tables", "", "| file | rows | what |", "|---|---|---|"]
    for resource in package["resources"]:
        lines.append(
            f"| `{resource['path']}` | {resource['sc_votes:rows']:,} | {resource['title']} |"
        )
    lines += [
        "",
        "Each file is a gzip'd UTF-8 CSV with a header row; an empty cell is a missing value; "
        "JSON columns hold compact JSON. Refresh this folder with `make release`; never edit it "
        "by hand (the loader refuses a file whose SHA-256 does not match).",
        "",
    ]
    return "\n".join(lines)


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def citation_cff(package: dict) -> str:
    version = package["version"]
    released = version.split("+", 1)[0].replace(".", "-")
    lines = [
        "# Written by manage.py build_release with the data release it describes.",
        "cff-version: 1.2.0",
        "message: "
        + _q(
            "If you use these data, cite this release and the United Nations as the source "
            "of the data, with the versions listed in release/datapackage.json."
        ),
        "type: dataset",
        f"title: {_q(package['title'])}",
        f"version: {_q(version)}",
        f"date-released: {released}",
        "authors:",
        "  - name: " + _q("SC Votes contributors"),
        f"license-url: {_q(LICENCE_URL)}",
        f"abstract: {_q(package['description'])}",
        "keywords:",
        *[f"  - {_q(k)}" for k in package["keywords"]],
        "references:",
    ]
    for entry in package["sources"]:
        lines += [
            "  - type: data",
            f"    title: {_q(entry['title'])}",
            "    authors:",
            f"      - name: {_q(entry['sc_votes:publisher'] or 'United Nations')}",
            f"    version: {_q(entry['version'])}",
        ]
        if entry.get("path"):
            lines.append(f"    url: {_q(entry['path'])}")
    return "\n".join(lines) + "\n"
