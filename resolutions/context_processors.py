"""Every page cites the UN sources and the version of each that is loaded.

The versions are read lazily, in one query, only when a template prints them.
"""

from django.utils.functional import SimpleLazyObject

from resolutions.provenance import latest_versions


def data_sources(request):
    return {"data_sources": SimpleLazyObject(latest_versions)}
