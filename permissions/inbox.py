"""Who reads which notices (notifications app): a notice is its recipient's alone.

Pages and the API list and mark notices only through ``notices_for``; a notice of someone else
is not found, exactly like a missing one. The queue's health (tasks, timers, workers) is shown in
the admin, to staff only (Django's own rule).
"""

from __future__ import annotations

from django.db.models import QuerySet


def notices_for(user) -> QuerySet:
    """The notices this user may read and mark: their own; nothing for an anonymous user."""
    from notifications.models import Notification

    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def may_choose_channels(user) -> bool:
    """Anyone signed in chooses how they hear (their own preference only); a deactivated account
    keeps no say."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


__all__ = ["may_choose_channels", "notices_for"]
