from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations (111 hotline and other systems)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The status callbacks follow the case timeline: every CaseEvent is written by
        # commit_change, so listening to its insert sees people's and timers' changes alike
        # without a second door into the commit path.
        from django.db.models.signals import post_save

        from casework.models import CaseEvent

        from . import webhooks
        from .schema import ApiKeyScheme  # noqa: F401  (registers the OpenAPI security scheme)

        post_save.connect(webhooks.on_case_event, sender=CaseEvent, dispatch_uid="integrations.webhooks")
