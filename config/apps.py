from django.apps import AppConfig

from config import checks


class SiteConfig(AppConfig):
    """The project itself, as an app: only for its system checks (config/checks.py)."""

    name = "config"
    label = "site"
    verbose_name = "SC Votes"

    def ready(self):
        checks.register_deploy_checks()
