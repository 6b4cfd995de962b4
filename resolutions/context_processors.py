"""Every page cites the UN sources, the version of each that is loaded, and the licence.

The versions are read lazily, in one query, only when a template prints them.
"""

from django.utils.functional import SimpleLazyObject

from resolutions.licence import COPYRIGHT
from resolutions.provenance import latest_versions


def data_sources(request):
    return {"data_sources": SimpleLazyObject(latest_versions), "licence_notice": COPYRIGHT}
