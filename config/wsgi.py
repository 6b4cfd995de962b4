"""The WSGI application, as gunicorn serves it (`make serve`, config/gunicorn.py)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from config.checks import static_files_missing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _refuse_without_static_files() -> None:
    # Better a server that will not start, saying why, than one whose every page is a 500.
    problem = static_files_missing()
    if problem:
        raise ImproperlyConfigured(f"Not serving: {problem}.")


_refuse_without_static_files()
