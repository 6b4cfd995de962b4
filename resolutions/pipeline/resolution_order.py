"""Where sources disagree on a resolution's date, keep resolution numbers in date order.

Resolutions are numbered as they are adopted, so a date that puts a resolution
before the one numbered just below it, or after the one just above, is wrong
(the reconstructed file has S/RES/727 (1992) on 1 August, day and month
swapped; its meeting was on 8 January). When another source gives a date that
fits the order, that date is used and the choice noted; the disagreement stays
on record either way.
"""

from __future__ import annotations

from datetime import date

from resolutions.pipeline.merge import Merged
from votes.choices import SECONDARY, Source


def keep_resolution_order(merged_drafts: list[tuple[dict, Merged]], known: dict) -> None:
    """Correct merged dates that break the order, for (draft.sources, merged) pairs.

    ``known`` maps the resolution numbers already stored to their dates.
    """
    dates = dict(known)
    for _sources, merged in merged_drafts:
        if merged.values.get("resolution"):
            dates[merged.values["resolution"][0]] = date.fromisoformat(merged.values["date"])
    order = _Order(dates)
    for sources, merged in merged_drafts:
        resolution = merged.values.get("resolution")
        if resolution and merged.origin.get("date") != Source.EDITOR:
            order.fit(resolution[0], sources, merged)


class _Order:
    def __init__(self, dates: dict[int, date]):
        self.dates = dates
        self.numbers = sorted(dates)
        self.position = {n: i for i, n in enumerate(self.numbers)}

    def fits(self, number: int, day: date) -> bool:
        """Whether a day falls between the resolutions numbered just below and above."""
        i = self.position[number]
        low = self.dates[self.numbers[i - 1]] if i > 0 else None
        high = self.dates[self.numbers[i + 1]] if i + 1 < len(self.numbers) else None
        return (low is None or day >= low) and (high is None or day <= high)

    def fit(self, number: int, sources: dict, merged: Merged) -> None:
        """Take the first source's date that fits the order, when the merged one does not."""
        said = {
            key: date.fromisoformat(info["values"]["date"])
            for key, info in sources.items()
            if info.get("values", {}).get("date") and key not in SECONDARY
        }
        current = self.dates[number]
        if len(set(said.values())) < 2 or self.fits(number, current):
            return
        for key, day in said.items():
            if self.fits(number, day):
                merged.values["date"] = day.isoformat()
                merged.origin["date"] = key
                merged.notes.append(
                    (
                        key,
                        f"its date is used: {current} would put S/RES/{number} out "
                        "of the order of resolution numbers",
                    )
                )
                self.dates[number] = day
                return
