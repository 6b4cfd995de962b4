"""Temporary: ``resolutions/sources/loader.py`` still imports the editors' vote rules
from here. They are ``resolutions.rules`` now; delete this file once the loader
imports them from there (the pipeline branch does)."""

from resolutions.rules import Row, check_votes

__all__ = ["Row", "check_votes"]
