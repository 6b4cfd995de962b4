"""What the API says about each thing. Outcomes are the engine's stored results."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resolutions.evidence import vote_evidence
from resolutions.licence import LICENCE
from resolutions.models import Disagreement, Draft, undocs_url
from resolutions.provenance import latest_versions
from votes.models import MembershipTerm, MemberState, MemberStateName, MemberVote, Veto
from votes.seats import seat_sort_key


class TallySerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    non_voting = serializers.IntegerField()


class VetoingSerializer(serializers.Serializer):
    seat = serializers.CharField(help_text="Permanent seat: CHN, FRA, RUS (USSR to 1991), GBR, USA")
    state = serializers.CharField(help_text="The state that cast the veto, e.g. SUN for the USSR")
    name = serializers.CharField(help_text="Its name on the day")


class SourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    version = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)


class SponsorSerializer(serializers.Serializer):
    state = serializers.CharField(
        source="state.code", allow_null=True, help_text="UN three-letter code; null for a body"
    )
    slug = serializers.CharField(source="state.slug", allow_null=True)
    name = serializers.CharField(help_text="As the source writes it")
    source = serializers.CharField(help_text="The source that names it (official or compiled)")


class DraftSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The vote's permanent page")
    resolution = serializers.CharField(source="resolution_symbol", help_text="S/RES/n (year)")
    meeting = serializers.SlugRelatedField(slug_field="symbol", read_only=True, allow_null=True)
    agenda_item = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    tally = serializers.SerializerMethodField(help_text="Computed from the member votes")
    recorded_tally = serializers.SerializerMethodField(help_text="As the sources recorded it")
    outcome_statement = serializers.CharField(source="outcome_sentence")
    vetoed_by = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField(help_text="Links to the UN's documents")
    title = serializers.CharField(
        source="display_title", help_text="The sources' title, else one built (title_built)"
    )
    title_built = serializers.BooleanField(
        source="title_is_built", help_text="The title was built from the agenda item and sponsors"
    )
    sponsors = SponsorSerializer(source="sponsorships", many=True, read_only=True)
    amends = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the draft an amendment amends"
    )

    class Meta:
        model = Draft
        fields = [
            "id",
            "url",
            "kind",
            "amends",
            "date",
            "resolution",
            "draft_symbol",
            "meeting",
            "press_release",
            "title",
            "title_built",
            "sponsors",
            "agenda_item",
            "modality",
            "procedural",
            "outcome",
            "outcome_statement",
            "vetoed_by",
            "tally",
            "required_votes",
            "recorded_tally",
            "recorded_outcome",
            "outcome_disputed",
            "sources",
            "documents",
        ]

    def get_url(self, draft) -> str:
        request = self.context.get("request")
        path = draft.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(TallySerializer(allow_null=True))
    def get_tally(self, draft):
        tally = draft.tally
        return None if tally is None else tally.__dict__

    @extend_schema_field(TallySerializer(allow_null=True))
    def get_recorded_tally(self, draft):
        tally = draft.recorded_tally
        return None if tally is None else tally.__dict__

    @extend_schema_field(VetoingSerializer(many=True))
    def get_vetoed_by(self, draft):
        vetoes = sorted(draft.vetoes.all(), key=lambda v: seat_sort_key(v.seat.code))
        return [
            {"seat": v.seat.code, "state": v.state.code, "name": v.name_at_vote} for v in vetoes
        ]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, draft):
        return [
            {"source": key, "version": str(info.get("version", "")), "url": info.get("url", "")}
            for key, info in sorted((draft.sources or {}).items())
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_documents(self, draft) -> dict:
        documents = {}
        if draft.resolution_symbol:
            documents["resolution"] = undocs_url(draft.resolution_symbol.replace(" ", ""))
        if draft.draft_symbol:
            documents["draft"] = undocs_url(draft.draft_symbol)
        if draft.meeting_id:
            documents["meeting_record"] = undocs_url(draft.meeting.symbol)
        if draft.undl_record_id:
            documents["digital_library"] = (
                f"https://digitallibrary.un.org/record/{draft.undl_record_id}"
            )
        return documents


class MemberVoteSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="state.code")
    name = serializers.CharField(source="name_at_vote", help_text="The state's name on the day")
    country = serializers.CharField(source="state.slug")
    permanent_seat = serializers.SlugRelatedField(
        slug_field="code", source="seat", read_only=True, allow_null=True
    )
    evidence = serializers.SerializerMethodField(
        help_text="official, compiled (a third-party compilation), deduced or editor"
    )

    class Meta:
        model = MemberVote
        fields = [
            "code",
            "name",
            "country",
            "permanent_seat",
            "position",
            "non_voting",
            "note",
            "evidence",
            "source",
        ]

    def get_evidence(self, vote) -> str:
        return vote_evidence(vote)


class DisagreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disagreement
        fields = ["kind", "field", "values", "detail", "detected_by"]


class LicenceMixin(serializers.Serializer):
    licence = serializers.SerializerMethodField()
    data_sources = serializers.SerializerMethodField()

    def get_licence(self, obj) -> str:
        return LICENCE

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_data_sources(self, obj):
        return [c.as_dict() for c in latest_versions()]


class DraftDetailSerializer(LicenceMixin, DraftSerializer):
    subjects = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    member_votes = MemberVoteSerializer(many=True, read_only=True)
    disagreements = DisagreementSerializer(many=True, read_only=True)

    class Meta(DraftSerializer.Meta):
        fields = [
            "licence",
            "data_sources",
            *DraftSerializer.Meta.fields,
            "description",
            "subjects",
            "member_votes",
            "disagreements",
        ]


class NameSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberStateName
        fields = ["name", "start", "end"]


class TermSerializer(serializers.ModelSerializer):
    permanent_seat = serializers.SlugRelatedField(
        slug_field="code", source="seat", read_only=True, allow_null=True
    )

    class Meta:
        model = MembershipTerm
        fields = ["start", "end", "kind", "permanent_seat"]


class MemberStateSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    terms = TermSerializer(many=True, read_only=True)
    names = NameSerializer(many=True, read_only=True, help_text="Names it carried, with dates")

    class Meta:
        model = MemberState
        fields = ["code", "name", "slug", "url", "names", "terms"]

    def get_url(self, state) -> str:
        request = self.context.get("request")
        path = f"/countries/{state.slug}/"
        return request.build_absolute_uri(path) if request else path


class MemberStateDetailSerializer(LicenceMixin, MemberStateSerializer):
    class Meta(MemberStateSerializer.Meta):
        fields = ["licence", "data_sources", *MemberStateSerializer.Meta.fields]


class VetoSerializer(serializers.ModelSerializer):
    vote = serializers.IntegerField(source="draft_id")
    url = serializers.SerializerMethodField()
    date = serializers.DateField(source="draft.date")
    draft_symbol = serializers.CharField(source="draft.draft_symbol")
    meeting = serializers.CharField(source="draft.meeting.symbol", default="")
    agenda_item = serializers.CharField(source="draft.agenda_item.name", default="")
    seat = serializers.CharField(source="seat.code")
    state = serializers.CharField(source="state.code")
    name = serializers.CharField(source="name_at_vote")

    class Meta:
        model = Veto
        fields = [
            "vote",
            "url",
            "date",
            "draft_symbol",
            "meeting",
            "agenda_item",
            "seat",
            "state",
            "name",
        ]

    def get_url(self, veto) -> str:
        request = self.context.get("request")
        path = f"/votes/{veto.draft_id}/"
        return request.build_absolute_uri(path) if request else path


class ChartRowSerializer(serializers.Serializer):
    """A row of one of the P5 charts (the fields depend on the chart)."""
