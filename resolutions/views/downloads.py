"""The data downloads' responses: a filter error, and rows as JSON or as CSV under
the comment lines that cite the sources and state the rule."""

from __future__ import annotations

import csv
import json

from django.http import HttpResponse


def invalid_filter(errors) -> HttpResponse:
    """A 400 naming each filter parameter that is wrong and why, in plain text."""
    problems = "; ".join(f"{f}: {' '.join(map(str, e))}" for f, e in errors.items())
    return HttpResponse(
        f"Invalid filter: {problems}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def json_data(body: dict) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


def csv_data(filename: str, comments: str, columns: list[str], rows: list[dict]) -> HttpResponse:
    """The rows as a CSV attachment, after ``comments`` (lines starting "# ")."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(comments)
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return response
