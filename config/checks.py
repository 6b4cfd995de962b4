"""System checks for going to production (`manage.py check --deploy`)."""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


def static_files_missing() -> str:
    """Why the site cannot serve its pages with DEBUG off, or "" when it can."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if settings.DEBUG or manifest is None or staticfiles_storage.exists(manifest):
        return ""
    return (
        f"the static files have not been collected into {settings.STATIC_ROOT}: with DEBUG "
        "off every page would be a 500. Run `manage.py collectstatic --no-input` (make serve does)"
    )


def static_files_collected(app_configs, **kwargs):
    problem = static_files_missing()
    return [Error(problem[0].upper() + problem[1:] + ".", id="site.E001")] if problem else []


def bench_views_off(app_configs, **kwargs):
    if not settings.BENCH:
        return []
    words = "BENCH is on: /_bench/ serves the benchmark's yardstick views. Unset it in production."
    return [CheckWarning(words, id="site.W001")]


def register_deploy_checks() -> None:
    """Called from the app's ready(), as Django recommends for system checks."""
    # Deploy only: collectstatic runs the staticfiles checks itself, before collecting.
    register(static_files_collected, Tags.staticfiles, deploy=True)
    register(bench_views_off, Tags.security, deploy=True)
