from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case work")

    def ready(self):
        from django.db.models.signals import pre_save

        from .text_guard import refuse_nul

        # Every model of the project, whoever saves it (casework/text_guard.py says why).
        pre_save.connect(refuse_nul, dispatch_uid="casework.refuse_nul")
