from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = "Council members and votes"

    def ready(self):
        # Imported once the app registry is ready, since seating imports the models
        # (Django's order of loading, not an import cycle).
        from votes import seating

        seating.connect()
