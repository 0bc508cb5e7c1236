from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows and deadlines")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .calendar import calendar_changed, clear_cache
        from .models import CalendarDay, DeadlinePolicy

        # The per-process cache of calendars and policies (workflows.calendar) forgets what
        # was written here at once; other processes within WORKFLOWS_CACHE_SECONDS.
        for model in (CalendarDay, DeadlinePolicy):
            post_save.connect(calendar_changed, sender=model, dispatch_uid=f"workflows-cache-save-{model.__name__}")
            post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"workflows-cache-del-{model.__name__}")
        # ``flush`` (transactional tests) and ``migrate`` empty or reseed the tables without signals.
        post_migrate.connect(clear_cache, dispatch_uid="workflows-cache-migrate")
