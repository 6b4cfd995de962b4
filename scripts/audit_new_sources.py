"""Audit the new secondary sources of issue 10 against the official ones; print Markdown.

    .venv/bin/python scripts/audit_new_sources.py ../shared/data > audit.md

Reads, with the project's pure parsers, the Voting-Agent compilation, the Yordán veto
list, the unsc_for_us sample, and the official sources: the Library's Veto List and
meetings tables, its voting data (the 1946-2021 reconstruction) and DGACM's XML of drafts
not adopted and JSON of resolutions. Every number printed is counted here from the
files; nothing is copied from them into the project.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from resolutions.sources import (  # noqa: E402
    dhl_meetings,
    dhl_veto,
    failed_drafts_sample,
    undl,
    unxml,
    unxml_adopted,
    voting_agent,
    yordan_vetoes,
)
from votes.names import default_resolver  # noqa: E402

P5 = {"CHN", "FRA", "RUS", "GBR", "USA"}
GAP = (date(2022, 5, 27), date(2023, 3, 26))  # after the Veto List, before DGACM's first XML
LABELS = {
    "Not adopted - veto": "vetoed",
    "Not adopted - failed to receive required number of votes": "failed",
}


def kinds(record) -> set[str]:
    return {kind for kind, _ in record.extra.get("faults", ())}


def va_votes(record) -> tuple:
    return record.votes or record.extra.get("votes_as_written", ())


def tally(votes) -> tuple[int, int, int]:
    counts = Counter(v.position for v in votes)
    return counts["Y"], counts["N"], counts["A"]


def dashed(votes) -> str:
    return "-".join(map(str, tally(votes)))


def va_date(record) -> date | None:
    """The parser's date, else its deduction, else nothing."""
    return record.date or record.extra.get("date_deduced")


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the official record of failed and vetoed drafts ------------------------------------


class Official:
    """Failed and vetoed drafts 1994 on, by draft symbol, from every official source."""

    def __init__(self, data: Path):
        self.veto = dhl_veto.parse(data / "dhl_meetings_tables" / "scact_veto_table_en.html")
        self.meetings = dhl_meetings.parse(data / "dhl_meetings_tables")
        self.unxml = unxml.parse(data / "unxml_sc_resolutions" / "not_adopted_english")
        self.adopted = unxml_adopted.parse(data / "unxml_sc_resolutions" / "data_extract")
        self.undl = undl.parse(data / "undl_sc_voting" / "reconstructed_1946_2021_DERIVED.csv.gz")
        self.drafts: dict[str, dict] = defaultdict(dict)
        for name, parsed in (
            ("veto", self.veto),
            ("meetings", self.meetings),
            ("unxml", self.unxml),
        ):
            for r in parsed.records:
                if r.outcome in ("vetoed", "not_adopted", "") and r.date and r.date.year >= 1994:
                    if r.draft_symbol and not r.draft_symbol.startswith("S/PV."):
                        self.drafts[r.draft_symbol][name] = r
                    elif r.meeting_symbol and r.tally_text:  # a tally, but no draft named
                        self.drafts[f"(no symbol) {r.meeting_symbol}"][name] = r
        self.adopted_drafts = {
            r.draft_symbol: r
            for p in (self.adopted, self.undl)
            for r in p.records
            if r.draft_symbol
        }
        # The Library's reconstruction wins where both have a resolution: DGACM's counts
        # sometimes contradict its own wording (1559 (2004): "9-0-6" but 15 in favour).
        self.adopted_numbers = {
            r.resolution_number: r for p in (self.adopted, self.undl) for r in p.records
        }

    def date(self, symbol: str) -> date:
        found = self.drafts[symbol]
        return (found.get("meetings") or found.get("unxml") or found.get("veto")).date

    def outcome(self, symbol: str) -> str:
        found = self.drafts[symbol]
        outcome = (found.get("unxml") or found.get("meetings") or found.get("veto")).outcome
        if not outcome:  # the table names no decision: only its tally tells
            reading = found["meetings"].extra["tally_reading"]
            outcome = "not_adopted" if reading["yes"] < 9 else ""
        return outcome

    def vetoers(self, symbol: str) -> set[str]:
        found = self.drafts[symbol]
        record = found.get("unxml") or found.get("veto") or found.get("meetings")
        return set(record.vetoed_by)

    def tally_fits(self, symbol: str, yes: int, no: int, abstain: int) -> bool | None:
        """Does a yes-no-abstain tally agree with the official one? None: none known."""
        found = self.drafts[symbol]
        if "unxml" in found and found["unxml"].votes:
            x = found["unxml"]
            return (yes, no, abstain) == (x.recorded_yes, x.recorded_no, x.recorded_abstain)
        meeting = found.get("meetings")
        if meeting is None or "tally_reading" not in meeting.extra:
            return None
        reading = meeting.extra["tally_reading"]
        if reading.get("kind") != "count":
            return None
        if not reading.get("ambiguous"):
            return (yes, no, abstain) == (reading["yes"], reading["no"], reading["abstain"])
        return yes == reading["yes"] and {no, abstain} == {reading["no"], reading["abstain"]}


# --- Voting-Agent: the file on its own ----------------------------------------------------


def overview(parsed) -> str:
    records = parsed.records
    rows = sum(len(va_votes(r)) for r in records)
    vote_on = Counter(r.extra["vote_on"] for r in records)
    labels = Counter((r.extra["outcome_as_written"], r.extra["vote_on"]) for r in records)
    out = [
        f"{len(records)} votes (vote IDs) in {rows} member-vote rows; "
        + ", ".join(f"{n} on {k}" for k, n in vote_on.most_common())
        + ".",
        "",
        table(
            ["outcome as the file states it", "on drafts", "on amendments"],
            [
                [label, labels[(label, "draft")], labels[(label, "amendment")]]
                for label in sorted({label for label, _ in labels})
            ],
        ),
    ]
    return "\n".join(out)


def per_year(parsed, official: Official) -> str:
    counts: Counter = Counter()
    for r in parsed.records:
        label = LABELS.get(r.extra["outcome_as_written"])
        if label:
            counts[(r.extra["date_as_written"].year, label, r.extra["vote_on"])] += 1
    for symbol in official.drafts:
        label = {"vetoed": "vetoed", "not_adopted": "failed"}.get(official.outcome(symbol))
        counts[(official.date(symbol).year, label, "official")] += 1
    rows = []
    for year in range(1994, 2026):
        cells = [
            counts[(year, label, on)]
            for on in ("draft", "official", "amendment")
            for label in ("vetoed", "failed")
        ]
        rows.append([year, *cells])
    rows.append(["total", *(sum(r[i] for r in rows) for i in range(1, 7))])
    return table(
        [
            "year",
            "vetoed drafts",
            "failed drafts",
            "official: vetoed",
            "official: failed",
            "vetoed amendments",
            "failed amendments",
        ],
        rows,
    ) + (
        "\n\nOfficial: the Library's Veto List and meetings tables (to June 2022) and "
        "DGACM's drafts not adopted (from 27 March 2023); none covers June 2022 - March 2023."
    )


def faults(parsed, official_meeting_dates: dict) -> str:
    by_kind: dict[str, list] = defaultdict(list)
    for r in parsed.records:
        for kind, detail in r.extra["faults"]:
            by_kind[kind].append((r, detail))
    out = []
    for kind, found in sorted(by_kind.items(), key=lambda item: -len({id(r) for r, _ in item[1]})):
        out.append(
            f"- **{kind}** ({len({id(r) for r, _ in found})} votes): {voting_agent.FAULTS[kind]}"
        )
        for r, detail in found[:3]:
            when = r.extra["date_as_written"].isoformat()
            out.append(f"  - ID {r.extra['id']}, {r.extra['draft_as_written']!r}, {when}: {detail}")
    # How good is the date check? Judged by the Library's meetings tables.
    verdicts: Counter = Counter()
    for r in parsed.records:
        official = official_meeting_dates.get(r.meeting_symbol)
        if official is None:
            continue
        written = r.extra["date_as_written"]
        truth = (
            "right as written"
            if written == official
            else (
                "swapped"
                if written.day <= 12 and date(written.year, written.day, written.month) == official
                else "otherwise wrong"
            )
        )
        check = next(
            (
                k
                for k in ("day_month_swapped", "date_ambiguous", "date_out_of_sequence")
                if k in kinds(r)
            ),
            "kept",
        )
        if check == "day_month_swapped":
            check += (
                ", deduction right" if r.extra["date_deduced"] == official else ", deduction wrong"
            )
        verdicts[(check, truth)] += 1
    out += ["", "The date check judged by the meetings tables (votes whose meeting they list):", ""]
    out.append(
        table(
            ["the parser", "the Library's date is", "votes"],
            [[*k, n] for k, n in sorted(verdicts.items())],
        )
    )
    return "\n".join(out)


# --- the cross-check -------------------------------------------------------------------


def va_index(parsed) -> dict[str, list]:
    index: dict[str, list] = defaultdict(list)
    for r in parsed.records:
        if r.meeting_symbol and LABELS.get(r.extra["outcome_as_written"]):
            index[f"(no symbol) {r.meeting_symbol}"].append(r)
        symbols = {r.draft_symbol, r.extra.get("amendment_symbol", "")}
        symbols |= set(r.extra.get("draft_symbols_as_written", ()))
        symbols |= {r.extra.get("draft_symbol_suggested", "")}
        for symbol in symbols - {""}:
            index[symbol].append(r)
    return index


def cross_check(parsed, official: Official) -> str:
    index = va_index(parsed)
    results: Counter = Counter()
    disagreements, corrected, matched_ids = [], [], set()
    for symbol in sorted(official.drafts, key=official.date):
        found = [r for r in index.get(symbol, ()) if LABELS.get(r.extra["outcome_as_written"])]
        found = found or index.get(symbol, [])
        if not found:
            results["missing from Voting-Agent"] += 1
            disagreements.append((symbol, official.date(symbol), "missing from Voting-Agent"))
            continue
        wanted = {"vetoed": "vetoed", "not_adopted": "failed"}.get(official.outcome(symbol), "")

        def fit(r, symbol=symbol, wanted=wanted):
            label = LABELS.get(r.extra["outcome_as_written"])
            return (label == wanted) + (r.extra["date_as_written"] == official.date(symbol))

        found.sort(key=fit, reverse=True)
        record = found[0]
        matched_ids.update(r.extra["id"] for r in found)
        problems = []
        for other in found[1:]:
            problems.append(
                f"ID {other.extra['id']} also carries this symbol "
                f"({other.extra['outcome_as_written']!r}, {dashed(va_votes(other))})"
            )
        written, when = record.extra["date_as_written"], official.date(symbol)
        date_note = ""
        if written != when:
            fixed = va_date(record) == when
            how = "the parser deduces it" if fixed else "not caught" if record.date else "withheld"
            date_note = f"date {written} (official {when}; {how})"
            if not fixed:
                problems.append(date_note)
        label = LABELS.get(record.extra["outcome_as_written"], record.extra["outcome_as_written"])
        if label != wanted:
            problems.append(f"labelled {record.extra['outcome_as_written']!r}, officially {wanted}")
        votes = va_votes(record)
        fits = official.tally_fits(symbol, *tally(votes))
        if fits is False:
            problems.append(
                f"member votes give {dashed(votes)}, not the official tally"
                + ("" if record.votes else " (votes withheld by the parser)")
            )
        against = {v.code for v in votes if v.position == "N" and v.code in P5}
        if official.outcome(symbol) == "vetoed" and against != official.vetoers(symbol):
            problems.append(
                f"permanent members against {sorted(against)}, "
                f"official vetoers {sorted(official.vetoers(symbol))}"
            )
        matched = f"ID {record.extra['id']}"
        if problems:
            results["disagree"] += 1
            disagreements.append((symbol, when, f"{matched}: " + "; ".join(problems)))
        elif date_note:
            results["agree but for a swapped date, which the parser deduces"] += 1
            corrected.append(f"{symbol} ({matched}): {date_note}")
        else:
            results["agree fully"] += 1
    extra = [
        r
        for r in parsed.records
        if LABELS.get(r.extra["outcome_as_written"])
        and r.extra["vote_on"] == "draft"
        and r.draft_symbol
        and r.draft_symbol not in official.drafts
        and r.extra["id"] not in matched_ids
    ]
    out = [
        f"{len(official.drafts)} failed or vetoed drafts 1994-2025 in the official sources "
        f"(Veto List {sum('veto' in d for d in official.drafts.values())}, meetings tables "
        f"{sum('meetings' in d for d in official.drafts.values())}, DGACM XML "
        f"{sum('unxml' in d for d in official.drafts.values())}): "
        + ", ".join(f"{n} {k}" for k, n in results.most_common())
        + ".",
        "",
        table(
            ["draft", "official date", "how Voting-Agent differs"], [list(d) for d in disagreements]
        ),
        "",
        "Agreeing but for a swapped date: " + "; ".join(corrected) + ".",
        "",
        f"Voting-Agent votes labelled failed or vetoed, on a draft symbol no official source lists "
        f"as failed or vetoed ({len(extra)}):",
        "",
    ]
    rows = []
    for r in extra:
        adopted = official.adopted_drafts.get(r.draft_symbol)
        note = (
            f"adopted as resolution {adopted.resolution_number} ({adopted.resolution_year})"
            if adopted
            else ""
        )
        if not note and va_date(r) and va_date(r) > GAP[0]:
            note = "after the Veto List and meetings tables end; not a DGACM 'not adopted' file"
        rows.append(
            [
                r.extra["id"],
                r.draft_symbol,
                va_date(r) or r.extra["date_as_written"],
                r.extra["outcome_as_written"],
                "-".join(map(str, tally(va_votes(r)))),
                note,
            ]
        )
    out.append(table(["ID", "draft", "date", "label", "tally", "official sources"], rows))
    return "\n".join(out)


def adopted_check(parsed, official: Official) -> str:
    """Voting-Agent's adopted votes against the official resolution records."""
    counts: Counter = Counter()
    caught: Counter = Counter()
    missed: list[str] = []
    for r in parsed.records:
        if r.resolution_number is None or r.extra["outcome_as_written"] in LABELS:
            continue
        res = official.adopted_numbers.get(r.resolution_number)
        if res is None or res.recorded_yes is None:
            counts["no official tally"] += 1
            continue
        votes = va_votes(r)
        if r.modality != "vote" or len(votes) == 0:
            continue
        va = tally(votes)
        ok = va == (res.recorded_yes, res.recorded_no or 0, res.recorded_abstain or 0)
        counts["tally agrees" if ok else "tally differs"] += 1
        if not ok:
            caught["caught (votes withheld)" if not r.votes else "not caught"] += 1
            if r.votes:
                missed.append(
                    f"ID {r.extra['id']} resolution {r.resolution_number}: Voting-Agent "
                    f"{'-'.join(map(str, va))}, official {res.recorded_yes}-{res.recorded_no or 0}-"
                    f"{res.recorded_abstain or 0} "
                    f"({', '.join(sorted(kinds(r))) or 'no fault flagged'})"
                )
    return (
        "Adopted resolutions with a recorded vote, Voting-Agent's member votes against the "
        "official tally (Library reconstruction to 2021, DGACM from 2000): "
        + ", ".join(f"{n} {k}" for k, n in counts.most_common())
        + "; of those that differ, "
        + ", ".join(f"{n} {k}" for k, n in caught.most_common())
        + ".\n\n"
        + "\n".join(f"- {m}" for m in missed)
    )


def gap(parsed, yordan, sample, official: Official) -> str:
    rows = []
    symbols = {
        r.draft_symbol
        for r in parsed.records
        if LABELS.get(r.extra["outcome_as_written"])
        and va_date(r)
        and GAP[0] <= va_date(r) <= GAP[1]
    }
    symbols |= {s for s, d in official.drafts.items() if GAP[0] <= official.date(s) <= GAP[1]}
    symbols |= {r.draft_symbol for r in yordan.records if GAP[0] <= r.date <= GAP[1]}
    in_sample = {r.draft_symbol for r in sample.records}
    index = va_index(parsed)
    for symbol in sorted(symbols - {""}):
        va = index.get(symbol, [])
        rows.append(
            [
                symbol,
                ", ".join(
                    f"ID {r.extra['id']} {va_date(r)} "
                    f"{LABELS.get(r.extra['outcome_as_written'], '?')} {dashed(va_votes(r))}"
                    for r in va
                )
                or "no",
                "yes" if any(r.draft_symbol == symbol for r in yordan.records) else "no",
                "yes" if symbol in in_sample else "no",
                ", ".join(official.drafts.get(symbol, {})) or "none",
            ]
        )
    return table(
        ["draft", "Voting-Agent", "Yordán", "unsc_for_us sample", "official sources"], rows
    )


def yordan_vs_library(yordan, official: Official) -> str:
    """Match by draft symbol (a meeting record standing in for one: by meeting and year)."""

    def key(r):
        if r.draft_symbol.startswith("S/PV.") or not r.draft_symbol:
            return ("meeting", r.meeting_symbol, r.date.year, r.agenda[:40].lower())
        return ("draft", r.draft_symbol)

    library = defaultdict(list)
    for r in official.veto.records:
        library[key(r)].append(r)
    theirs = defaultdict(list)
    for r in yordan.records:
        theirs[key(r)].append(r)
    only_yordan = [r for k in theirs if k not in library for r in theirs[k]]
    only_library = [r for k in library if k not in theirs for r in library[k]]
    dates, vetoers = [], []
    for k in set(theirs) & set(library):
        ours, its = (sorted(rows, key=lambda r: r.date) for rows in (theirs[k], library[k]))
        for a, b in zip(ours, its, strict=False):  # a repeated draft may be listed once
            if a.date != b.date:
                dates.append(f"{a.draft_symbol} {a.date} (Library {b.date})")
            if set(a.vetoed_by) != set(b.vetoed_by):
                vetoers.append(f"{a.draft_symbol} {a.date}: {a.vetoed_by} / {b.vetoed_by}")

    def show(rows):
        return (
            ", ".join(
                f"{r.date} {r.draft_symbol} ({r.meeting_symbol})"
                for r in sorted(rows, key=lambda r: r.date)
            )
            or "none"
        )

    return "\n".join(
        [
            f"Yordán {len(yordan.records)} rows, Library {len(official.veto.records)} rows.",
            f"- Only in Yordán: {show(only_yordan)}",
            f"- Only in the Library's list: {show(only_library)}",
            f"- Same veto, other date: {', '.join(sorted(dates)) or 'none'}",
            f"- Same veto, other vetoers: {', '.join(sorted(vetoers)) or 'none'}",
        ]
    )


def main() -> None:
    data = Path(sys.argv[1])
    parsed = voting_agent.parse(
        data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    )
    yordan = yordan_vetoes.parse(data / "yordan_vetoes" / "unsc_vetoes_1946_sept2022.csv")
    sample = failed_drafts_sample.parse(
        data / "unsc_for_us_failed_drafts" / "cleaned_data_unsc_DERIVED.csv"
    )
    official = Official(data)
    meeting_dates = {
        r.meeting_symbol: r.date for r in official.meetings.records if r.meeting_symbol
    }
    default_resolver()
    sections = [
        ("Voting-Agent: the file", overview(parsed)),
        (
            "Voting-Agent: failed and vetoed votes per year (labels as written)",
            per_year(parsed, official),
        ),
        ("Voting-Agent: faults by kind", faults(parsed, meeting_dates)),
        (
            "Cross-check: failed and vetoed drafts in the official sources",
            cross_check(parsed, official),
        ),
        ("Cross-check: adopted resolutions", adopted_check(parsed, official)),
        ("The gap, 27 May 2022 - 26 March 2023", gap(parsed, yordan, sample, official)),
        ("Yordán against the Library's Veto List", yordan_vs_library(yordan, official)),
        (
            "Warnings of the three parsers",
            "\n".join(f"- {w}" for p in (parsed, yordan, sample) for w in p.warnings),
        ),
    ]
    for title, body in sections:
        print(f"## {title}\n\n{body}\n")


if __name__ == "__main__":
    main()
