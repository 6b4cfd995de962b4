from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Drafts and resolutions"

    def ready(self):
        # Imported once the app registry is ready: signals imports the models
        # (Django's order of loading, not an import cycle).
        from resolutions import signals

        signals.connect()
