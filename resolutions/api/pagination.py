from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from resolutions.licence import LICENCE
from resolutions.provenance import latest_versions

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


class Pagination(PageNumberPagination):
    """Numbered pages in a stable order, with the licence and source versions on each."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # Out of range is a 400 saying so, not a silently different page.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                size = int(raw)
            except ValueError as exc:
                raise ValidationError({"page_size": "a whole number"}) from exc
            if not 1 <= size <= self.max_page_size:
                raise ValidationError({"page_size": f"between 1 and {self.max_page_size}"})
        return super().get_page_size(request)

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
        return parameters
