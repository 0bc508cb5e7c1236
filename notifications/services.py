"""The writes a user makes in the notifications app: marking notices read, choosing channels.

Neither changes a case, so neither writes a timeline event; each is one statement.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import PermissionDenied, ValidationError
from permissions.inbox import may_choose_channels, notices_for

from .models import EmailChoice, Preference


def notices_mark_read(*, actor, ids=None, everything: bool = False) -> int:
    """Mark the actor's own notices read.

    Who: any signed-in user, on their own notices (others' ids are ignored, as if missing).
    Writes: Notification.read_at. After commit: nothing. Raises: ValidationError (bad ids).
    """
    qs = notices_for(actor).filter(read_at__isnull=True)
    if not everything:
        try:
            wanted = [int(i) for i in (ids or [])]
        except (TypeError, ValueError):
            raise ValidationError({"ids": _("Give notice numbers.")}) from None
        qs = qs.filter(pk__in=wanted)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, actor, email: str) -> Preference:
    """Choose how the actor hears of events by e-mail.

    Who: the user themself. Writes: Preference. After commit: nothing.
    Raises: PermissionDenied (inactive), ValidationError (unknown choice).
    """
    if not may_choose_channels(actor):
        raise PermissionDenied(_("This account may not change its notification settings."))
    if email not in EmailChoice.values:
        raise ValidationError({"email": _("Choose one of the offered values.")})
    preference, _created = Preference.objects.update_or_create(user_id=actor.pk, defaults={"email": email})
    return preference
