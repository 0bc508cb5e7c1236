from django.apps import AppConfig


class HistoryConfig(AppConfig):
    # No verbose name to translate: nothing of this app is shown in the admin or the pages.
    name = "history"
    default_auto_field = "django.db.models.BigAutoField"
