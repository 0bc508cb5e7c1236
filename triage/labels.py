"""Labels the case engine shows for triage (kept here so they live in this app's catalog)."""

from django.utils.translation import gettext_lazy as _

ATTACH_LABEL = _("Attach this report to an existing case or incident")
ATTACH_HELP = _("Both records are kept; each timeline says so. Attached to a case, this report is closed.")
ATTACH_DONE = _("The report is attached.")
ATTACH_SUMMARY = _("Attach a new report to an existing case or incident (triage)")
QUEUE_NAV = _("Triage queue")
MODE_CHOICES = [("case", _("To the case (the same child, the same report)")),
                ("incident", _("To the case's incident (another child of the same incident)"))]
TARGET_LABEL = _("Number of the existing case")
MODE_LABEL = _("Attach")
REASON_LABEL = _("Why they belong together")
