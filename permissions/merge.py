"""Who may say two child records are one child (issue 12, item 3).

Apart from ``permissions.triage`` because it reads the prevention registry's rules: the case
pages (``permissions.rules``) must not depend on the prevention app (import contracts).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .prevention import registry_editor
from .triage import TRIAGE_CAPABILITY


def merge_refusal(user, *, accesses, entry_communes) -> str:
    """Why ``user`` may not merge two child records, or "" when they may.

    ``accesses``: the user's access to every case of both children; ``entry_communes``: the
    communes of every registry entry of both. Saying two records are one child changes all of
    them, so the user must act on each: triage (``case.verify``) every case, keep the registry
    of every entry's commune.
    """
    if not accesses and not entry_communes:
        return _("These children have no record you act on.")
    if any(TRIAGE_CAPABILITY not in a.caps for a in accesses):
        return _("You may not change every case of these children.")
    if any(registry_editor(user, commune) is None for commune in entry_communes):
        return _("You do not keep the registry of every commune of these children.")
    return ""


__all__ = ["merge_refusal"]
