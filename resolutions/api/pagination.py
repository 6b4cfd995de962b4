from functools import partial

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from resolutions.licence import LICENCE
from resolutions.provenance import latest_versions
from resolutions.tables import KnownCountPaginator

SOURCES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "source": {"type": "string"},
            "name": {"type": "string"},
            "version": {"type": "string"},
        },
    },
}


class KeptFilterBackend(DjangoFilterBackend):
    """The site's filter, its filterset kept on the view for the pagination's count."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class Pagination(PageNumberPagination):
    """Numbered pages in a stable order, with the licence and source versions on each."""

    page_size_query_param = "page_size"
    max_page_size = 200

    # The public pages' name for it, honoured too (it was echoed in ``next`` and ignored).
    alias_query_param = "per_page"

    def get_page_size(self, request):
        # Out of range is a 400 saying so, not a silently different page.
        for name in (self.page_size_query_param, self.alias_query_param):
            raw = request.query_params.get(name)
            if raw is not None:
                return self._size(name, raw)
        return self.page_size

    def _size(self, name: str, raw: str) -> int:
        try:
            size = int(raw)
        except ValueError as exc:
            raise ValidationError({name: "a whole number"}) from exc
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({name: f"between 1 and {self.max_page_size}"})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        # The count, when the view's filter knows it from the per-year tables
        # (DraftFilter.known_count): COUNT read every published draft otherwise.
        filterset = getattr(view, "filterset", None)
        known = getattr(filterset, "known_count", None)
        count = known() if known is not None else None
        self.django_paginator_class = partial(KnownCountPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "licence": LICENCE,
                "data_sources": [c.as_dict() for c in latest_versions()],
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"] = {
            "licence": {"type": "string"},
            "data_sources": SOURCES_SCHEMA,
            **base["properties"],
        }
        base["required"] = ["licence", "data_sources", "count", "results"]
        return base

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 200}
        alias = {
            "name": self.alias_query_param,
            "required": False,
            "in": "query",
            "description": f"As {self.page_size_query_param}, which wins when both are given.",
            "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
        }
        return [*parameters, alias]
