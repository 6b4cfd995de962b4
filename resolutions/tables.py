"""django-tables2 tables for lists of drafts: the votes list, a country's history, the vetoes.

Rows come from ``resolutions.filters.DraftFilter(...).qs``, which already joins
the meeting and agenda item and prefetches the vetoes, so a page of rows costs
one query plus one for the vetoes, whatever its length.

Each cell carries a ``data-label`` so that on a phone the stylesheet can show a
row as a stacked card with its column names instead of a table too wide to read.
"""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Paginator

from resolutions.models import Draft
from votes.choices import VOTED_WORDS, Modality
from votes.seats import SEAT_ORDER, SHORT_SEAT_LABELS

MAX_PER_PAGE = 100


class KnownCountPaginator(Paginator):
    """A paginator told its count (``DraftFilter.known_count``), which then runs no COUNT;
    given None, it counts its rows as usual."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


class CappedPaginator(KnownCountPaginator):
    """Honours ?per_page= up to a limit, so no page grows past the size budget."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        # A page holds 1 to MAX_PER_PAGE rows whatever the query string says.
        super().__init__(object_list, max(1, min(int(per_page), MAX_PER_PAGE)), *args, **kwargs)


def _label(text: str) -> dict:
    return {"td": {"data-label": text}, "th": {"scope": "col"}}


class DraftTable(tables.Table):
    date = tables.DateColumn(
        format="j M Y",
        order_by=("date", "resolution_number", "id"),
        attrs={"td": {"data-label": "Date", "class": "nowrap"}, "th": {"scope": "col"}},
    )
    symbols = tables.TemplateColumn(
        template_name="resolutions/cells/symbols.html",
        verbose_name="Symbols",
        accessor="pk",
        order_by=("resolution_number", "draft_symbol"),
        attrs=_label("Symbols"),
    )
    title = tables.TemplateColumn(
        template_name="resolutions/cells/title.html",
        verbose_name="Title",
        order_by=("title",),
        attrs=_label("Title"),
    )
    tally = tables.TemplateColumn(
        template_name="resolutions/cells/tally.html",
        verbose_name="Tally (yes–no–abstain)",
        accessor="tally_yes",
        order_by=("tally_yes", "tally_no"),
        attrs=_label("Tally"),
    )
    outcome = tables.TemplateColumn(
        template_name="resolutions/cells/outcome.html",
        verbose_name="Outcome",
        order_by=("outcome",),
        attrs=_label("Outcome"),
    )
    vetoed_by = tables.Column(
        verbose_name="Vetoed by",
        accessor="pk",
        orderable=False,
        attrs=_label("Vetoed by"),
    )

    class Meta:
        model = Draft
        fields = ("date", "symbols", "title", "tally", "outcome", "vetoed_by")
        template_name = "resolutions/_table.html"
        attrs = {"class": "data-table"}
        empty_text = "No vote matches these filters."
        orderable = True

    def render_vetoed_by(self, record):
        return ", ".join(record.vetoing_names()) or "—"

    def value_vetoed_by(self, record):
        return ", ".join(record.vetoing_names())


class CountryDraftTable(DraftTable):
    """A member state's history: the same columns with its own vote added."""

    state_position = tables.Column(
        verbose_name="Its vote",
        order_by=("state_position",),
        attrs=_label("Its vote"),
    )

    class Meta(DraftTable.Meta):
        sequence = ("date", "symbols", "title", "state_position", "tally", "outcome", "vetoed_by")
        empty_text = "No vote of this member matches these filters."

    def render_state_position(self, value, record):
        if record.modality != Modality.RECORDED_VOTE:
            return "adopted without a vote"
        return VOTED_WORDS.get(value, value)


class VetoTable(tables.Table):
    """The Library's Veto List columns: date, draft, meeting record, agenda item, vetoers."""

    date = tables.DateColumn(
        format="j M Y",
        order_by=("date", "id"),
        attrs={"td": {"data-label": "Date", "class": "nowrap"}, "th": {"scope": "col"}},
    )
    draft = tables.TemplateColumn(
        template_name="resolutions/cells/symbols.html",
        verbose_name="Draft",
        accessor="pk",
        order_by=("draft_symbol",),
        attrs=_label("Draft"),
    )
    meeting = tables.TemplateColumn(
        template_name="resolutions/cells/meeting.html",
        verbose_name="Meeting record",
        accessor="meeting__number",
        order_by=("meeting__number",),
        attrs=_label("Meeting record"),
    )
    agenda_item = tables.TemplateColumn(
        template_name="resolutions/cells/title.html",
        verbose_name="Agenda item",
        order_by=("agenda_item__name", "date"),
        attrs=_label("Agenda item"),
    )
    tally = tables.TemplateColumn(
        template_name="resolutions/cells/tally.html",
        verbose_name="Tally",
        accessor="tally_yes",
        order_by=("tally_yes",),
        attrs=_label("Tally"),
    )
    vetoed_by = tables.Column(
        verbose_name="Permanent member(s) casting a negative vote",
        accessor="pk",
        orderable=False,
        attrs=_label("Vetoed by"),
    )

    class Meta:
        model = Draft
        fields = ("date", "draft", "meeting", "agenda_item", "tally", "vetoed_by")
        template_name = "resolutions/_table.html"
        attrs = {"class": "data-table"}
        empty_text = "No veto matches these filters."

    def render_vetoed_by(self, record):
        return ", ".join(record.vetoing_names())


# Sorts a figure that is undefined ("—") below every real one: kappa is never below -1.
UNDEFINED = -2.0


def _few(code: str):
    """A cell's class: greyed when the figure rests on fewer than MIN_VOTES votes."""
    return lambda record: "num few" if record[f"{code}_few"] else "num"


def elected_record(member) -> dict:
    """One elected member as a table row: per seat its share, kappa and n, and sort keys."""
    row: dict = {"name": member.name, "slug": member.slug}
    for code, result in member.seats.items():
        share, kappa = result.share, result.kappa
        row |= {
            f"{code}_share": share,
            f"{code}_kappa": kappa,
            f"{code}_n": result.both,
            f"{code}_few": result.few,
            f"{code}_share_key": UNDEFINED if share is None else share,
            f"{code}_kappa_key": UNDEFINED if kappa is None else kappa,
        }
    return row


class ElectedTable(tables.Table):
    """The elected members against each permanent seat: agreement (with n) and kappa."""

    name = tables.TemplateColumn(
        template_code="<a href=\"{% url 'resolutions:country' record.slug %}\">{{ value }}</a>",
        verbose_name="Elected member",
        attrs=_label("Elected member"),
    )

    class Meta:
        template_name = "resolutions/_table.html"
        attrs = {"class": "data-table elected-table"}
        order_by = ("name",)

    def __init__(self, data, *args, **kwargs):
        extra = []
        for code in SEAT_ORDER:
            short = SHORT_SEAT_LABELS[code]
            extra += [
                (
                    f"{code}_share",
                    tables.TemplateColumn(
                        template_code=(
                            '{% load charts %}{{ value|as_percent }} <span class="meta">n '
                            f"{{{{ record.{code}_n }}}}</span>"
                        ),
                        verbose_name=f"{short} %",
                        empty_values=(),
                        order_by=(f"{code}_share_key",),
                        attrs={
                            "td": {"data-label": f"With {short}", "class": _few(code)},
                            "th": {"scope": "col"},
                        },
                    ),
                ),
                (
                    f"{code}_kappa",
                    tables.TemplateColumn(
                        template_code="{% load charts %}{{ value|as_kappa }}",
                        verbose_name=f"{short} κ",
                        empty_values=(),
                        order_by=(f"{code}_kappa_key",),
                        attrs={
                            "td": {"data-label": f"κ with {short}", "class": _few(code)},
                            "th": {"scope": "col"},
                        },
                    ),
                ),
            ]
        super().__init__(data, *args, extra_columns=extra, **kwargs)
