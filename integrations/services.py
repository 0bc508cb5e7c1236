"""Reports pushed by another system: the incident's area code resolved to today's commune, and
one report per Idempotency-Key whatever the number of retries."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework.errors import Conflict, ValidationError
from casework.models import Area, AreaKind, Case
from casework.services.intake import IntakeInput, case_open

from .models import AreaSuccession, IdempotentRequest, IntegrationClient

FIELD = "incident_area_code"


def body_fingerprint(body) -> str:
    """The same JSON body, whatever its key order or spacing, has the same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def commune_for_code(code: str) -> Area:
    """Today's commune for a statistical code, following retired codes to their successor.

    Raises ValidationError (on ``incident_area_code``) for an unknown code, and for a retired
    one whose unit was split (several successors) or has none.
    """
    code = (code or "").strip()
    communes = Area.objects.filter(kind=AreaKind.COMMUNE, code=code)
    current = list(communes.filter(valid_to__isnull=True)[:2])
    if len(current) == 1:
        return current[0]
    retired = list(communes.filter(valid_to__isnull=False))
    if not retired:
        raise ValidationError({FIELD: _("Unknown commune code: %(code)s.") % {"code": code}})
    # Follow the chain of reorganisations (few hops: a unit is merged at most a few times).
    frontier, successors, seen = retired, set(), set()
    while frontier:
        seen |= {a.pk for a in frontier}
        nxt = [s.successor for s in AreaSuccession.objects.filter(predecessor__in=frontier)
               .select_related("successor")]
        successors |= {a for a in nxt if a.valid_to is None}
        frontier = [a for a in nxt if a.valid_to is not None and a.pk not in seen]
    if len(successors) == 1:
        return successors.pop()
    if not successors:
        raise ValidationError({FIELD: _("The commune code %(code)s was retired and has no successor.")
                               % {"code": code}})
    raise ValidationError({FIELD: _("The commune code %(code)s was retired and split into %(codes)s: send the "
                                    "code of the commune where it happened.")
                           % {"code": code, "codes": ", ".join(sorted(a.code for a in successors))}})


def status_view(case: Case) -> dict:
    """What a reporting system may know of a report: never the child, only where it stands."""
    return {"id": case.pk, "code": case.code, "status": case.status, "opened_at": case.opened_at.isoformat(),
            "commune": {"code": case.commune.code, "name": case.commune.name}}


@transaction.atomic
def report_receive(*, client: IntegrationClient, idempotency_key: str, fingerprint: str, area_code: str,
                   data: IntakeInput) -> tuple[dict, bool]:
    """A report (form 01) pushed by an integration, routed to the commune of the incident.

    Who: an active integration client, acting as its service account (the 111 hotline role).
    Writes: through ``case_open`` (the child, incident, intake, case, one CaseEvent(CASE_OPENED))
    and one IdempotentRequest holding the answer.
    After commit: what ``case_open`` queues (the commune's officers and chairperson are told).
    Raises: ValidationError (bad body, unknown or retired area code), PermissionDenied (the
    service account may not report), Conflict(code="idempotency_key_reused") when the key was
    used for a different body. Returns (answer, replayed).
    """
    previous = (IdempotentRequest.objects.select_for_update()
                .filter(client=client, key=idempotency_key).first())
    if previous is None:
        try:
            # Taken first, inside the transaction: a concurrent retry with the same key waits on
            # this row (PostgreSQL) and then replays the answer instead of opening a second case.
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(client=client, key=idempotency_key,
                                                         body_sha256=fingerprint)
        except IntegrityError:
            previous = IdempotentRequest.objects.select_for_update().get(client=client, key=idempotency_key)
    if previous is not None:
        if previous.body_sha256 != fingerprint:
            raise Conflict(_("This Idempotency-Key was already used for a different report. Use a new key for "
                             "a new report."), code="idempotency_key_reused")
        return previous.response, True
    data.incident_commune_id = commune_for_code(area_code).pk
    data.client_token = f"idem-{client.pk}-{hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]}"
    case = case_open(actor=client.user, data=data)
    claim.case = case
    claim.response = status_view(case)
    claim.save(update_fields=["case", "response"])
    return claim.response, False
