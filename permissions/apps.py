from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermissionsConfig(AppConfig):
    name = "permissions"
    verbose_name = _("Roles and access")

    def ready(self):
        from axes.signals import user_locked_out

        from . import auth

        user_locked_out.connect(auth._locked_out, dispatch_uid="casework_locked_out")
