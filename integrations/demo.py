"""Demo data: the 111 hotline as an integration client, and one retired commune code."""

from __future__ import annotations

import datetime as dt

from casework.models import Area, AreaKind

from .models import AreaSuccession, IntegrationClient


def load_demo(world, *, stdout=None) -> str | None:
    """Create the hotline client (idempotent). Returns its API key when it is new (shown once)."""
    old, _ = Area.objects.get_or_create(
        code="26735", parent=world.areas["p1"],
        defaults=dict(name="Phường Bến Thành (cũ)", kind=AreaKind.COMMUNE, valid_to=dt.date(2025, 7, 1)))
    AreaSuccession.objects.get_or_create(predecessor=old, successor=world.areas["a"])
    if IntegrationClient.objects.filter(user=world.users["hotline"]).exists():
        return None
    client = IntegrationClient(name="Tổng đài 111", user=world.users["hotline"])
    key = client.issue_key()
    client.save()
    if stdout is not None:
        stdout.write(f"111 hotline API key (shown once): {key}\ncallback signing secret: {client.webhook_secret}\n")
    return key
