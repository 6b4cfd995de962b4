"""Who votes and how: member states, permanent seats, Council terms, votes, vetoes.

``votes`` never imports ``resolutions``; it names the draft model by string.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from votes.choices import NonVoting, Position, Source, TermKind
from votes.council import new_term_problems
from votes.dates import day_text


class MemberStateQuerySet(models.QuerySet):
    def sitting_on(self, on: date) -> MemberStateQuerySet:
        """The members of the Council on a date: the one definition of "sits"."""
        return self.filter(terms__in=MembershipTerm.objects.on(on)).distinct()


class MemberState(models.Model):
    """A state as the UN's data identifies it, by its three-letter code.

    Successor states that took over a seat are separate states (SUN and RUS);
    a state whose name changed stays one state with dated names (CHN for the
    Republic of China and the People's Republic, as the UN's data has it).
    """

    code = models.CharField(
        max_length=3, unique=True, help_text="UN three-letter code, e.g. SUN for the USSR."
    )
    name = models.CharField(max_length=100, help_text="Its name today, or its last name.")
    slug = models.SlugField(max_length=100, unique=True)

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        # Pick-lists and country indexes read alphabetically.
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def name_on(self, on: date) -> str:
        for historical in self.names.all():
            if historical.covers(on):
                return historical.name
        return self.name


class MemberStateName(models.Model):
    """A name a state carried between two dates (inclusive, open-ended when blank)."""

    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=100)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="member_state_name_ends_after_start",
            ),
            models.UniqueConstraint(fields=["state", "start"], name="one_name_per_state_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start or '…'} – {self.end or '…'})"

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


class PermanentSeat(models.Model):
    """One of the five permanent seats, identified by its current holder's code.

    The seat outlives its holders: the Russian seat was the USSR's until
    24 December 1991. Holders and dates are the seat's permanent terms.
    """

    code = models.CharField(max_length=3, unique=True, help_text="Current holder's code.")
    name = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0, help_text="Display order.")

    class Meta:
        # Seats are always listed in one canonical order (China, France, Russia, UK, US).
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class MembershipTermQuerySet(models.QuerySet):
    def on(self, on: date) -> MembershipTermQuerySet:
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))

    def permanent(self) -> MembershipTermQuerySet:
        return self.filter(kind=TermKind.PERMANENT)

    def overlapping(self, start: date, end: date | None) -> MembershipTermQuerySet:
        """Terms sharing at least one day with [start, end] (open-ended when ``end`` is None)."""
        terms = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        return terms if end is None else terms.filter(start__lte=end)


class MembershipTerm(models.Model):
    """A state's time on the Council, both ends inclusive."""

    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="terms")
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Blank while the term runs.")
    kind = models.CharField(max_length=10, choices=TermKind)
    seat = models.ForeignKey(
        PermanentSeat,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
        help_text="The permanent seat held, for permanent terms only.",
    )
    source = models.CharField(max_length=20, choices=Source, default=Source.EDITOR)
    source_version = models.CharField(max_length=40, blank=True)

    objects = MembershipTermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(kind=TermKind.PERMANENT) & Q(seat__isnull=False))
                | (Q(kind=TermKind.ELECTED) & Q(seat__isnull=True)),
                name="permanent_terms_hold_a_seat",
            ),
            models.UniqueConstraint(fields=["state", "start"], name="one_term_per_state_start"),
        ]
        indexes = [
            # "Who sat on this date?" scans terms by their start and end.
            models.Index(fields=["start", "end"], name="term_dates_idx"),
        ]

    def __str__(self) -> str:
        end = self.end.isoformat() if self.end else "present"
        return f"{self.state} ({self.get_kind_display().lower()}, {self.start} – {end})"

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def clean(self):
        super().clean()
        self._clean_fields_together()
        if self.state_id and self.start:
            problems = self.seat_problems() + self._stranded_votes()
            if problems:
                raise ValidationError(problems)

    def _clean_fields_together(self) -> None:
        """The term's own fields agree: its dates, and a seat exactly when permanent."""
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "A term cannot end before it starts."})
        if self.kind == TermKind.PERMANENT and self.seat_id is None:
            raise ValidationError({"seat": "A permanent term must name its seat."})
        if self.kind == TermKind.ELECTED and self.seat_id is not None:
            raise ValidationError({"seat": "An elected term holds no permanent seat."})

    def seat_problems(self) -> list[str]:
        """What saving this term would break: a second term of its state, or the seat limits."""
        others = MembershipTerm.objects.exclude(pk=self.pk) if self.pk else MembershipTerm.objects
        existing = others.overlapping(self.start, self.end).select_related("state")
        return new_term_problems(self, existing)

    def _stranded_votes(self) -> list[str]:
        """Recorded votes a changed term would leave outside any of the state's terms."""
        if self.pk is None:
            return []
        before = MembershipTerm.objects.get(pk=self.pk)
        stranded = self._votes_left_outside(before)
        if not stranded:
            return []
        first = min(stranded, key=lambda v: v.draft.date)
        return [
            f"{len(stranded)} recorded vote(s) of {before.state} would fall outside its "
            f"terms, e.g. on {first.draft} of {first.draft.date}: correct those first."
        ]

    def _votes_left_outside(self, before: MembershipTerm) -> list[MemberVote]:
        """The votes the term covered before the change that no term would cover after."""
        others = MembershipTerm.objects.filter(state_id=self.state_id).exclude(pk=self.pk)
        votes = MemberVote.objects.filter(
            state_id=before.state_id,
            draft__date__gte=before.start,
            **({"draft__date__lte": before.end} if before.end else {}),
        ).select_related("draft")
        return [
            v
            for v in votes
            if not (self.state_id == before.state_id and self.covers(v.draft.date))
            and not any(t.covers(v.draft.date) for t in others)
        ]


class MemberVoteQuerySet(models.QuerySet):
    def of_seat(self, seat: PermanentSeat | str) -> MemberVoteQuerySet:
        """All votes cast from a permanent seat, predecessors included (USSR with Russia)."""
        code = seat.code if isinstance(seat, PermanentSeat) else seat
        return self.filter(seat__code=code)


class MemberVote(models.Model):
    draft = models.ForeignKey(
        "resolutions.Draft", on_delete=models.CASCADE, related_name="member_votes"
    )
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="votes")
    position = models.CharField(max_length=1, choices=Position)
    non_voting = models.CharField(
        max_length=20, choices=NonVoting, blank=True, default=NonVoting.UNSPECIFIED
    )
    name_at_vote = models.CharField(
        max_length=100, help_text="The state's name on the day of the vote."
    )
    # Denormalised from the permanent terms when the vote is saved, because every
    # P5 chart and every veto filters on it.
    seat = models.ForeignKey(
        PermanentSeat, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.EDITOR)

    objects = MemberVoteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "state"], name="one_vote_per_member_per_draft"
            ),
            models.CheckConstraint(
                condition=Q(non_voting="") | Q(position=Position.NON_VOTING),
                name="non_voting_reason_only_when_not_voting",
            ),
        ]
        indexes = [
            # Country pages and the "Ghana voted no" filter.
            models.Index(fields=["state", "position"], name="vote_state_position_idx"),
            # P5 agreement: every vote of a seat.
            models.Index(fields=["seat", "draft"], name="vote_seat_draft_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name_at_vote}: {self.get_position_display()}"

    def clean(self):
        super().clean()
        if self.draft_id and self.state_id and self.draft.date:
            on = self.draft.date
            if not MemberState.objects.sitting_on(on).filter(pk=self.state_id).exists():
                raise ValidationError(
                    {"state": f"{self.state} was not on the Council on {day_text(on)}."}
                )


class Veto(models.Model):
    """A permanent seat's veto of a draft, as decided by the outcome engine.

    Rows are written only by ``resolutions.outcomes``, in step with the draft's
    computed outcome; nobody enters them by hand.
    """

    draft = models.ForeignKey("resolutions.Draft", on_delete=models.CASCADE, related_name="vetoes")
    seat = models.ForeignKey(PermanentSeat, on_delete=models.PROTECT, related_name="vetoes")
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="vetoes")
    name_at_vote = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "vetoes"
        constraints = [
            models.UniqueConstraint(fields=["draft", "seat"], name="one_veto_per_seat_per_draft"),
        ]
        indexes = [
            # Veto counts by seat.
            models.Index(fields=["seat", "draft"], name="veto_seat_draft_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name_at_vote} vetoed {self.draft}"


# Counts per year, derived from the member votes and vetoes of published drafts
# (votes/yearly.py recounts them; resolutions.outcomes.refresh_outcomes calls it in
# its own transaction, so they never lag the votes). The P5 page, the elected
# members' page, the country pages and their downloads read only these: a few rows
# per year, whatever the number of votes.


class CountedDraft(models.Model):
    """The year a draft was last counted in: the years to recount when it moves or goes."""

    draft_id = models.BigIntegerField(primary_key=True)  # not a key: outlives its draft
    year = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"draft {self.draft_id} counted in {self.year}"


class AgreementYear(models.Model):
    """Pairs of cast votes (yes, no, abstention) on one published recorded draft:
    a member's, and a permanent seat's held by another state, by year and by the
    two positions (the contingency table Cohen's kappa needs)."""

    year = models.SmallIntegerField()
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="+")
    # The member's own permanent seat; NULL when it voted from an elected seat.
    member_seat = models.ForeignKey(
        PermanentSeat, null=True, on_delete=models.CASCADE, related_name="+"
    )
    seat = models.ForeignKey(PermanentSeat, on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=1, choices=Position)
    seat_position = models.CharField(max_length=1, choices=Position)
    votes = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # A country page: one state's rows.
            models.Index(fields=["state", "year"], name="agreement_year_state_idx"),
            # The P5 matrix and a pair by year; the elected members (member_seat NULL).
            models.Index(fields=["member_seat", "year"], name="agreement_year_seat_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.votes} votes {self.position}/{self.seat_position}"


class StateYear(models.Model):
    """A member's votes on published drafts in a year, by name, modality and position,
    with how many of those drafts it was decisive on, stood alone on, or saw fail
    by one vote (a state casts one vote per draft, so these add up over rows)."""

    year = models.SmallIntegerField()
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="+")
    name_at_vote = models.CharField(max_length=100)
    modality = models.CharField(max_length=20)
    position = models.CharField(max_length=1, choices=Position)
    votes = models.PositiveIntegerField()
    first = models.DateField()  # the earliest such vote: orders the names it voted under
    decisive = models.PositiveIntegerField()
    isolated = models.PositiveIntegerField()
    near_miss = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # A country page: one state's rows.
            models.Index(fields=["state", "year"], name="state_year_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name_at_vote}, {self.year}: {self.votes} x {self.position}"


class VetoYear(models.Model):
    """Vetoes of published drafts in a year, by seat and by the state casting them."""

    year = models.SmallIntegerField()
    seat = models.ForeignKey(PermanentSeat, on_delete=models.CASCADE, related_name="+")
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="+")
    name_at_vote = models.CharField(max_length=100)
    vetoes = models.PositiveIntegerField()
    first = models.DateField()
    last = models.DateField()

    def __str__(self) -> str:
        return f"{self.name_at_vote}, {self.year}: {self.vetoes} vetoes"


class CoverageYear(models.Model):
    """Published drafts in a year by outcome and by what backs their member votes
    (``votes`` below: official, editor, deduced, compiled, incomplete, none; "" for a
    draft adopted without a vote): the coverage table on /data/, read by decade in
    O(years) where classing every draft there took 0.5 s at 1x and 4.6 s at 10x."""

    year = models.SmallIntegerField()
    outcome = models.CharField(max_length=20)
    votes = models.CharField(max_length=10, blank=True)
    drafts = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.year}: {self.drafts} {self.outcome}, votes {self.votes or '-'}"


class DraftYear(models.Model):
    """Published drafts in a year; of its recorded votes, those with all five seats in
    the member-by-member record (``p5_recorded``) and those on which the five split;
    and the recorded votes, vetoed and failed (vetoed or not adopted) among them, each
    with how many have any member vote: what every counting page's caveat says
    (resolutions.coverage.failed_draft_facts), read in O(years) instead of O(drafts)."""

    year = models.SmallIntegerField()
    drafts = models.PositiveIntegerField()
    p5_recorded = models.PositiveIntegerField()
    p5_divided = models.PositiveIntegerField()
    recorded = models.PositiveIntegerField(default=0)
    recorded_with_votes = models.PositiveIntegerField(default=0)
    vetoed = models.PositiveIntegerField(default=0)
    vetoed_with_votes = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    failed_with_votes = models.PositiveIntegerField(default=0)
    # Every published draft vetoed, however the record says it was voted: the home
    # page's figure (``vetoed`` above counts the recorded votes alone).
    drafts_vetoed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year"], name="one_draft_year_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.p5_divided} of {self.p5_recorded} divided"


class VoteYear(models.Model):
    """Published votes in a year by kind (draft resolutions, amendments, questions):
    how many votes have a public page, for the sitemaps' pages (resolutions.sitemaps),
    read in O(years) where ``COUNT(*)`` of the published drafts was O(drafts)."""

    year = models.SmallIntegerField()
    kind = models.CharField(max_length=20)
    votes = models.PositiveIntegerField()

    class Meta:
        # As DraftYear's: two overlapping recounts of a year must fail, not leave the
        # year's rows twice (each DELETE missing the other's new rows) and the
        # sitemaps' count doubled.
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_vote_year_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.votes} published votes ({self.kind})"


class ResolutionGap(models.Model):
    """Resolution numbers that no draft carries (published or not), as ranges
    ``first``..``last``, from 1 up to the highest number held: how many are missing
    and which come first, on /data/ (``resolutions.models.stored_resolution_gaps``).
    Counting the numbers held and walking them to the first gaps read every number
    on each request; these rows are as few as the gaps' ranges. Not per year: the
    numbers run in one series across the years, so votes/yearly.py rewrites them all
    with each recount."""

    first = models.PositiveIntegerField(unique=True)  # the ranges in order: the page's list
    last = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"S/RES/{self.first}-{self.last} missing"
