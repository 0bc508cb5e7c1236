"""The offer model on a page: each offered action gets its form, and each record (task,
measure, order, transfer) the offers that act on it. Shared by the case page and a body's task
list; no rule is decided here (``casework.selectors.offers`` decides)."""

from __future__ import annotations

from ..selectors.offers import Offer
from .actions import WEB_ACTIONS, bound_key, form_for


def prepare(offers: list[Offer], case, bound: dict | None = None) -> list[Offer]:
    """Give every enabled offer its form; a failed submit's form comes back bound and open."""
    bound = bound or {}
    for offer in offers:
        key = bound_key(offer.key, offer.record_id)
        offer.web = WEB_ACTIONS[offer.key]
        offer.open = key in bound
        # An action with a page of its own (form 04) is a link there, with no form here.
        offer.form = form_for(offer, case, bound=bound.get(key)) if offer.enabled and not offer.web.page else None
        # A move on a record that needs only a click (accept a task) is a button; the others
        # open a small form with their help text.
        offer.inline = bool(offer.spec.record) and offer.form is not None and not offer.form.visible_fields()
    return offers


def attach_to_records(offers: list[Offer], records: dict) -> list[Offer]:
    """Hang item offers on their records (``record.offers``); return the case-level ones."""
    lists = {"measure": records.get("emergency_measures", []), "order": records.get("isolation_orders", []),
             "transfer": records.get("transfers", []), "task": records.get("tasks", [])}
    by_record: dict[tuple[str, int], list[Offer]] = {}
    for offer in offers:
        if offer.spec.record:
            by_record.setdefault((offer.spec.record, offer.record_id), []).append(offer)
    for kind, items in lists.items():
        for item in items:
            item.offers = by_record.get((kind, item.pk), [])
    return [o for o in offers if not o.spec.record]
