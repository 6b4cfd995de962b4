"""The designed 404 and 500 pages, with DEBUG on as well as off.

Django shows its technical pages whenever DEBUG is on: a mistyped symbol on
`make run` would list every URL pattern instead of the 404 with its search
box. This middleware renders the designed pages (templates/404.html and
500.html, through Django's own default views) while DEBUG is on too; with
DEBUG off it steps aside, as Django already does the same. The technical
pages stay one setting away: ``DEBUG_TECHNICAL_404=1``, ``DEBUG_TECHNICAL_500=1``.
The traceback of a 500 is still logged (to the terminal of `make run`).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signals
from django.http import Http404
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils.log import log_response
from django.views import defaults


class DesignedErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.designed_404():
            try:
                get_resolver(get_urlconf()).resolve(request.path_info)
            except Resolver404 as exc:
                # Raised before any view runs, so process_exception never sees it.
                return self.not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self.not_found(request, exception) if self.designed_404() else None
        if not settings.DEBUG or settings.DEBUG_TECHNICAL_500:
            return None
        # What Django's handler does for a 500, with the designed page.
        signals.got_request_exception.send(sender=None, request=request)
        response = defaults.server_error(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response

    @staticmethod
    def designed_404() -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_404

    @staticmethod
    def not_found(request, exception):
        return defaults.page_not_found(request, exception)
