"""Read replicas for the public pages; everything else on the primary.

With ``DATABASE_REPLICA_URLS`` set, settings adds one database alias per
replica (``replica1``, ``replica2``, …, listed in ``DATABASE_REPLICAS``).
``ReplicaMiddleware`` lets the reads of an anonymous GET or HEAD outside the
admin go to one replica, chosen once for the request so that every query of a
page sees the same state. Every write, every read after a write in the same
request, the admin, management commands (imports read what they are about to
write) and anything outside a request stay on the primary, ``default``. A
streamed download reads the primary: its rows are fetched after the middleware
has returned.
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings

PRIMARY = "default"

# The replica this request reads from, or None: read from the primary.
_replica: ContextVar[str | None] = ContextVar("replica", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _replica.get() or PRIMARY

    def db_for_write(self, model, **hints):
        # Read your own writes: once a request writes, it reads from the primary.
        _replica.set(None)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold copies of the primary's rows: any two objects may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Send the reads of a public GET to a replica, when there are any."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aliases = settings.DATABASE_REPLICAS
        if not aliases or not self.read_only(request):
            return self.get_response(request)
        token = _replica.set(random.choice(aliases))  # noqa: S311 (load spreading, not secrets)
        try:
            return self.get_response(request)
        finally:
            _replica.reset(token)

    @staticmethod
    def read_only(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(settings.PRIVATE_PATH_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
