from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prevention level")

    def ready(self):
        # The reports app shows prevention figures in its periodic reports; it never imports this
        # app, so the sections are handed to it here (absent until the reports app lands).
        from .report_sections import register

        register()
