from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Drafts and resolutions"

    def ready(self):
        from resolutions import signals

        signals.connect()
