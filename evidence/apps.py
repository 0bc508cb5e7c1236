from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from casework.audit import register_chain

        from .records import file_log_heads

        # Each audit anchor fixes the heads of the record-file log with the case timelines.
        register_chain("files", file_log_heads)
