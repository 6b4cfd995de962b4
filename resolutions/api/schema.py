"""The OpenAPI schema, with the error answers every endpoint can give documented too."""

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "The parameter(s) at fault and why, or 'detail'.",
                "additionalProperties": True,
            }
        }
    }
}


class Schema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction == "response" and self.method == "GET":
            bodies.setdefault("400", {"description": "An invalid parameter", **ERROR})
            bodies.setdefault("404", {"description": "No such record or page", **ERROR})
            # config/ratelimit.py: anonymous clients past RATELIMIT_DOWNLOAD.
            bodies.setdefault(
                "429",
                {
                    "description": "Too many requests: wait Retry-After seconds, or use /data/",
                    **ERROR,
                },
            )
        return bodies
