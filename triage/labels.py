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

# Why the finder suggests a child (triage.matching reason codes).
REASON_LABELS = {
    "personal_id_same": _("Same personal identification number"),
    "personal_id_differs": _("Different personal identification numbers"),
    "name_same": _("Same name"),
    "name_same_without_diacritics": _("Same name, written without diacritics"),
    "name_reordered": _("Same names in another order"),
    "name_spelling": _("Name spelt differently (sounds alike or one slip)"),
    "name_partial": _("Part of the name matches (a name missing)"),
    "name_abbreviation": _("Abbreviated name (Ng. = Nguyễn, Th. = Thị …)"),
    "dob_same": _("Same date of birth"),
    "dob_close": _("Dates of birth within a year"),
    "age_close": _("Age matches the estimate"),
    "age_far": _("Age far apart"),
    "sex_same": _("Same sex"),
    "sex_differs": _("Different sex"),
    "commune_same": _("Lives in the same commune"),
    "parents_alike": _("Parents' names alike"),
}

MERGE_REASON_LABEL = _("Why these records are the same child")
UNDO_REASON_LABEL = _("Why the merge was wrong")
MERGED_DONE = _("The records are merged. The merge can be undone below.")
UNDONE_DONE = _("The merge is undone.")
GIVE_REASON = _("Give a reason.")
