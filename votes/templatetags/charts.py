"""Server-rendered SVG charts for the P5 page (see docs/charts.md for why SVG).

Pure presentation: each tag turns the plain rows of ``votes.analytics`` into
geometry (positions, sizes, labels, links) for a template under
``templates/votes/charts/``. No queries happen here. Colours are CSS classes
(``static/css/charts.css``), from the Okabe–Ito palette, which stays
distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from votes.analytics import MIN_VOTES
from votes.seats import SEAT_ORDER, SHORT_SEAT_LABELS

register = template.Library()

WIDTH, HEIGHT = 640, 300
# LEFT leaves room for the widest tick ("100%", "-0.50") and the rotated y-axis title
# beside it (x = 14 in the templates) without the two touching.
LEFT, RIGHT, TOP, BOTTOM = 62, 12, 14, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def y_ticks(top: float, count: int = 5, percent: bool = False) -> list[dict]:
    ticks = []
    for i in range(count + 1):
        value = top * i / count
        label = f"{value * 100:.0f}%" if percent else f"{value:g}"
        ticks.append({"y": TOP + PLOT_H - PLOT_H * i / count, "label": label})
    return ticks


def tick_step(years: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, 100, … years that leaves at most 9 ticks.

    Unbounded: one bad date from an import (a record spanning centuries) must
    still draw, not bring the page down.
    """
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if years / step <= 9:
                return step
        magnitude *= 10


def year_axis(first: int, last: int) -> tuple[float, list[dict]]:
    """Width of one year's band and the labelled ticks (every 1, 2, 5 or 10 years)."""
    years = last - first + 1
    band = PLOT_W / years
    step = tick_step(years)
    ticks = [
        {"x": LEFT + (year - first + 0.5) * band, "label": str(year)}
        for year in range(first, last + 1)
        if year % step == 0 or (step == 1)
    ]
    return band, ticks


def _span(rows, first, last) -> tuple[int, int] | None:
    years = [row["year"] for row in rows]
    if not years:
        return None
    return (first or min(years)), (last or max(years))


def _link(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def _frame(**extra) -> dict:
    for key in ("marks", "points"):
        for mark in extra.get(key, ()):
            for name in ("x", "y", "width", "height"):
                if name in mark:
                    mark[name] = round(mark[name], 1)
    for tick in extra.get("x_ticks", ()) + extra.get("y_ticks", []):
        for name in ("x", "y"):
            if name in tick:
                tick[name] = round(tick[name], 1)
    return {
        "axis_x": LEFT - 6,
        "tick_y": TOP + PLOT_H + 16,
        "x_label_y": HEIGHT - 6,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + PLOT_H,
        "mid_x": LEFT + PLOT_W / 2,
        "mid_y": TOP + PLOT_H / 2,
        **extra,
    }


@register.inclusion_tag("votes/charts/veto_bars.svg.html")
def veto_bars(rows, period, title_id):
    """Stacked bars: vetoes per year, one colour per seat, each segment a link."""
    span = _span(rows, *period)
    if span is None:
        return {"empty": True, "title_id": title_id}
    first, last = span
    totals: dict[int, int] = {}
    for row in rows:
        totals[row["year"]] = totals.get(row["year"], 0) + row["count"]
    top = nice_max(max(totals.values()))
    band, ticks = year_axis(first, last)
    stacked: dict[int, float] = {}
    marks = []
    for row in rows:  # ordered by year, then seat
        height = PLOT_H * row["count"] / top
        base = stacked.get(row["year"], 0)
        stacked[row["year"]] = base + height
        marks.append(
            {
                "x": LEFT + (row["year"] - first) * band + band * 0.1,
                "y": TOP + PLOT_H - base - height,
                "width": max(band * 0.8, 1),
                "height": height,
                "seat": row["seat"].lower(),
                "label": f"{row['year']}: {row['count']} by {SHORT_SEAT_LABELS[row['seat']]}",
                "url": _link(
                    "resolutions:vetoes",
                    vetoed_by=row["seat"],
                    year_from=row["year"],
                    year_to=row["year"],
                ),
            }
        )
    return _frame(
        title_id=title_id,
        marks=marks,
        x_ticks=ticks,
        y_ticks=y_ticks(top, 5 if top >= 5 else int(top)),
        x_label="Year",
        y_label="Vetoes",
    )


# The permanent members agree on most votes, so the bins are finest near the top.
SHADE_FLOORS = (0.95, 0.85, 0.75, 0.6)
SHADE_LEGEND = ("under 60%", "60–74%", "75–84%", "85–94%", "95% or more")


def shade_of(share: float) -> int:
    """0 (lightest) to 4 (darkest)."""
    for darkest_first, floor in enumerate(SHADE_FLOORS):
        if share >= floor:
            return 4 - darkest_first
    return 0


@register.inclusion_tag("votes/charts/matrix.svg.html")
def agreement_matrix(rows, period, title_id):
    """5 × 5 grid: each cell's shade and text give a pair's agreement."""
    by_pair = {}
    for row in rows:
        by_pair[(row["first"], row["second"])] = row
        by_pair[(row["second"], row["first"])] = row
    size, left, top = 64, 96, 10
    cells = []
    for i, a in enumerate(SEAT_ORDER):
        for j, b in enumerate(SEAT_ORDER):
            cell: dict[str, Any] = {"x": left + j * size, "y": top + i * size, "size": size}
            if a == b:
                cell |= {"shade": "self", "text": "", "label": ""}
            else:
                cell |= _pair_cell(a, b, by_pair[(a, b)], period)
            cell["cx"], cell["cy"] = cell["x"] + size / 2, cell["y"] + size / 2
            # The share above, kappa and n below it, in the one cell.
            cy = cell["cy"]
            cell["text_y"], cell["sub_y"], cell["n_y"] = cy - 14, cy + 4, cy + 19
            cells.append(cell)
    labels = [
        {
            "text": SHORT_SEAT_LABELS[code],
            "row_y": top + i * size + size / 2,
            "col_x": left + i * size + size / 2,
        }
        for i, code in enumerate(SEAT_ORDER)
    ]
    return {
        "title_id": title_id,
        "cells": cells,
        "labels": labels,
        "width": left + 5 * size + 10,
        "height": top + 5 * size + 30,
        "label_x": left - 8,
        "label_y": top + 5 * size + 20,
    }


def _pair_cell(a: str, b: str, row: dict, period) -> dict[str, Any]:
    """A pair's cell of the grid: its shade, share, kappa and n, and its link."""
    first, last = period
    share = row["share"]
    return {
        "shade": "none" if share is None else shade_of(share),
        # White text on the two darkest blues: 5.1:1 and 8.6:1 (WCAG AA).
        "light_text": share is not None and share >= SHADE_FLOORS[1],
        "text": "—" if share is None else f"{share * 100:.0f}%",
        "label": (
            f"{SHORT_SEAT_LABELS[a]} and {SHORT_SEAT_LABELS[b]}: "
            + ("no shared votes" if share is None else f"{share * 100:.0f}% ")
            + f"({row['same']} of {row['both']}, κ {as_kappa(row.get('kappa'))}, "
            + f"n {row['both']})"
        ),
        "few": row["both"] < MIN_VOTES,
        "url": _link(
            "resolutions:list",
            pair=f"{row['first']}-{row['second']}",
            pair_agreed="no",
            year_from=first,
            year_to=last,
        ),
        "sub": f"κ {as_kappa(row.get('kappa'))}",
        "n": f"n {row['both']}",
    }


def _pair_value(row: dict, measure: str) -> float | None:
    if measure == "kappa":
        return row.get("kappa")
    return row["same"] / row["both"] if row["both"] else None


def _kappa_ticks(bottom: float) -> list[dict]:
    """Ticks of a kappa axis from ``bottom`` (0 or -1) to 1, every 0.25 or 0.5."""
    step = 0.25 if bottom == 0 else 0.5
    count = round((1 - bottom) / step)
    return [
        {"y": TOP + PLOT_H - PLOT_H * i / count, "label": f"{bottom + i * step:g}"}
        for i in range(count + 1)
    ]


def _pair_point(row: dict, value: float, x: float, bottom: float, measure: str) -> dict:
    shown = f"κ {value:.2f}" if measure == "kappa" else f"{value * 100:.0f}%"
    return {
        "year": row["year"],
        "x": x,
        "y": TOP + PLOT_H - PLOT_H * (value - bottom) / (1 - bottom),
        "few": row["both"] < MIN_VOTES,
        "label": f"{row['year']}: {shown} ({row['same']} of {row['both']}, n {row['both']})",
    }


def _lines(points: list[dict]) -> list[str]:
    """The polylines through points of consecutive years: a year without a figure
    breaks the line."""
    segments: list[list[str]] = []
    previous_year = None
    for point in points:
        if previous_year is None or point["year"] != previous_year + 1:
            segments.append([])
        segments[-1].append(f"{point['x']:.1f},{point['y']:.1f}")
        previous_year = point["year"]
    return [" ".join(s) for s in segments]


@register.inclusion_tag("votes/charts/line.svg.html")
def pair_line(rows, period, pair_code, title_id, measure="raw"):
    """Agreement (or kappa) of one pair by year: a line through points, each a link.

    A year with fewer than ``MIN_VOTES`` votes both cast is drawn greyed; a
    year whose kappa is undefined is a gap.
    """
    span = _span(rows, *period)
    if span is None:
        return {"empty": True, "title_id": title_id}
    first, last = span
    band, ticks = year_axis(first, last)
    values = [_pair_value(row, measure) for row in rows]
    bottom = -1.0 if any(v is not None and v < 0 for v in values) else 0.0
    points = [
        _pair_point(row, value, LEFT + (row["year"] - first + 0.5) * band, bottom, measure)
        | {
            "url": _link(
                "resolutions:list", pair=pair_code, year_from=row["year"], year_to=row["year"]
            )
        }
        for row, value in zip(rows, values, strict=True)
        if value is not None
    ]
    kappa = measure == "kappa"
    return _frame(
        title_id=title_id,
        points=points,
        lines=_lines(points),
        x_ticks=ticks,
        y_ticks=_kappa_ticks(bottom) if kappa else y_ticks(1, 4, percent=True),
        x_label="Year",
        y_label="Cohen's κ" if kappa else "Voted alike",
    )


@register.inclusion_tag("votes/charts/share_bars.svg.html")
def division_bars(rows, period, title_id):
    """Share of recorded votes each year on which the five split, each bar a link."""
    span = _span(rows, *period)
    if span is None:
        return {"empty": True, "title_id": title_id}
    first, last = span
    band, ticks = year_axis(first, last)
    marks = []
    for row in rows:
        if not row["total"]:
            continue
        share = row["divided"] / row["total"]
        height = PLOT_H * share
        marks.append(
            {
                "x": LEFT + (row["year"] - first) * band + band * 0.1,
                "y": TOP + PLOT_H - height,
                "width": max(band * 0.8, 1),
                "height": height,
                "label": (
                    f"{row['year']}: {share * 100:.0f}% ({row['divided']} of {row['total']})"
                ),
                "url": _link(
                    "resolutions:list", divided="yes", year_from=row["year"], year_to=row["year"]
                ),
            }
        )
    return _frame(
        title_id=title_id,
        marks=marks,
        x_ticks=ticks,
        y_ticks=y_ticks(1, 4, percent=True),
        x_label="Year",
        y_label="Five split",
    )


@register.filter
def as_percent(share) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


@register.filter
def as_kappa(kappa) -> str:
    """Kappa to two places ("—" when undefined), with a true minus sign."""
    return "—" if kappa is None else f"{kappa:.2f}".replace("-", "−")


@register.filter
def few_votes(both) -> bool:
    """Fewer votes than the figures need to mean much: shown greyed."""
    return both < MIN_VOTES


@register.simple_tag
def veto_year_table(rows):
    """Pivot of vetoes per year: ``[{"year", "cells": [{"count", "url"} per seat], "total"}]``."""
    years: dict[int, dict[str, int]] = {}
    for row in rows:
        years.setdefault(row["year"], {})[row["seat"]] = row["count"]
    return [
        {
            "year": year,
            "cells": [
                {
                    "count": counts.get(code, 0),
                    "url": _link(
                        "resolutions:vetoes", vetoed_by=code, year_from=year, year_to=year
                    ),
                }
                for code in SEAT_ORDER
            ],
            "total": sum(counts.values()),
        }
        for year, counts in sorted(years.items())
    ]


@register.simple_tag
def matrix_table(rows):
    """The matrix as table rows: ``[{"code", "cells": [row or None per seat]}]``."""
    by_pair = {}
    for row in rows:
        by_pair[(row["first"], row["second"])] = row
        by_pair[(row["second"], row["first"])] = row
    return [{"code": a, "cells": [by_pair.get((a, b)) for b in SEAT_ORDER]} for a in SEAT_ORDER]


@register.inclusion_tag("votes/charts/elected_heatmap.svg.html")
def elected_heatmap(members, title_id):
    """Rows of elected members, one column per permanent seat: shade and text give agreement.

    ``members`` are the ``ElectedMember`` objects the page's table is drawn from, so
    the chart costs no query and cannot disagree with the table.
    """
    # The names' gutter fits the longest name (about 7 px a character at 13 px).
    longest = max((len(m.name) for m in members), default=0)
    width, height, left, top = 84, 24, min(12 + 7 * longest, 230), 24
    cells = []
    for i, member in enumerate(members):
        for j, code in enumerate(SEAT_ORDER):
            cell = _elected_cell(member.name, code, member.seats[code])
            cell |= {"x": left + j * width, "y": top + i * height, "width": width, "height": height}
            cell["cx"], cell["cy"] = cell["x"] + width / 2, cell["y"] + height / 2
            cells.append(cell)
    return {
        "title_id": title_id,
        "cells": cells,
        "rows": [{"text": m.name, "y": top + (i + 0.5) * height} for i, m in enumerate(members)],
        "columns": [
            {"text": SHORT_SEAT_LABELS[code], "x": left + (j + 0.5) * width}
            for j, code in enumerate(SEAT_ORDER)
        ],
        "label_x": left - 6,
        "width": left + width * len(SEAT_ORDER) + 4,
        "height": top + height * len(members) + 4,
    }


def _elected_cell(name: str, code: str, result) -> dict:
    share = result.share
    text = as_percent(share)
    return {
        "shade": "none" if share is None else shade_of(share),
        "light_text": share is not None and share >= SHADE_FLOORS[1],
        "few": result.few,
        "text": text,
        # Starts with the visible text, so what is read is what is seen (WCAG 2.5.3).
        "label": (
            f"{text} {name} with {SHORT_SEAT_LABELS[code]}: "
            f"κ {as_kappa(result.kappa)}, n {result.both}"
            + (f", fewer than {MIN_VOTES} votes" if result.few else "")
        ),
    }
