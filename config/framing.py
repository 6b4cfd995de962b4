"""Who may frame a page: no one, except on the embeds meant for it.

Everywhere, ``X-Frame-Options: DENY`` and the CSP's ``frame-ancestors 'none'``
(settings.CONTENT_SECURITY_POLICY) refuse framing. The embed pages
(``settings.FRAMEABLE_PATHS``) replace the CSP directive with ``*`` in their
views (``resolutions.views.share.FRAMEABLE``) and are exempted here from
Django's X-Frame-Options. It decides by address rather than by a flag on the response,
because a page served from the page cache or a 304 never reaches the view.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _patterns(paths: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in paths) or r"(?!)")


def frameable(path: str) -> bool:
    return bool(_patterns(tuple(settings.FRAMEABLE_PATHS)).fullmatch(path))


class EmbedFramingMiddleware:
    """Marks the embeds exempt from Django's X-Frame-Options (XFrameOptionsMiddleware).

    It sits between that middleware and the page cache, so it sees every
    response: from the view, from the cache, and a 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if frameable(request.path_info):
            response.xframe_options_exempt = True
        return response
