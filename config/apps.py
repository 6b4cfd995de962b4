from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself, as an app: only for its system checks (config/checks.py)."""

    name = "config"
    label = "site"
    verbose_name = "SC Votes"

    def ready(self):
        from config import checks  # noqa: F401 (registers them)
