"""Intake (form 01) and routing to the commune (Decree 56/2017 art. 25.1, routing art. 26.1)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.access import capability_anywhere, case_queryset_for
from permissions.roles import Capability
from workflows.states import Classification, ProtectionLevel

from ..errors import PermissionDenied, ValidationError
from ..models import (
    Area,
    AreaKind,
    Case,
    CaseAbuseForm,
    CaseEventType,
    Child,
    Environment,
    Incident,
    Intake,
    Perpetrator,
    Sex,
    Term,
    TermKind,
)
from ..models.people import CHILD_AGE_LIMIT
from ._core import Actor, commit_change

# Law on Children art. 47–50: abuse → intervention; at risk or special circumstances → support.
LEVEL_FOR = {
    Classification.ABUSED: ProtectionLevel.INTERVENTION,
    Classification.AT_RISK: ProtectionLevel.SUPPORT,
    Classification.SPECIAL: ProtectionLevel.SUPPORT,
}


@dataclass
class ChildInput:
    full_name: str = ""
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    sex: str = Sex.UNKNOWN
    ethnicity: str = ""
    disability: str = ""
    residence_commune_id: int | None = None
    address: str = ""
    school_id: int | None = None
    class_name: str = ""
    parents: str = ""
    caregiver: str = ""


@dataclass
class PerpetratorInput:
    relation_code: str = ""
    is_child: bool = False
    sex: str = Sex.UNKNOWN
    note: str = ""


@dataclass
class IntakeInput:
    channel: str
    received_at: dt.datetime
    classification: str
    incident_commune_id: int
    child: ChildInput | None = None
    child_id: int | None = None
    organisation_id: int | None = None
    incident_village_id: int | None = None
    occurred_at: dt.datetime | None = None
    place: str = ""
    environment: str = Environment.OTHER
    description: str = ""
    child_condition: str = ""
    likely_consequence: str = ""
    family_situation: str = ""
    help_given: str = ""
    urgent: bool = False
    caregiver_is_abuser: bool = False
    reporter_consent: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    reporter_relation: str = ""
    abuse_forms: list[str] = field(default_factory=list)
    primary_abuse_form: str = ""
    risk_kind: str = ""
    special_groups: list[str] = field(default_factory=list)
    perpetrators: list[PerpetratorInput] = field(default_factory=list)
    client_token: str = ""


def _terms(kind: str, codes: list[str], field_name: str) -> list[Term]:
    codes = [c for c in dict.fromkeys(codes) if c]
    found = {t.code: t for t in Term.objects.of(kind).filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({field_name: _("Unknown code(s): %(codes)s") % {"codes": ", ".join(unknown)}})
    return [found[c] for c in codes]


def _validate(data: IntakeInput, errors: dict) -> None:
    now = timezone.now()
    if data.received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time received cannot be in the future.")
    if data.classification not in Classification.values:
        errors["classification"] = _("Choose abused, at risk or special circumstances.")
    if data.environment and data.environment not in Environment.values:
        errors["environment"] = _("Unknown environment.")
    # Form 01, part A.3 ("nếu đồng ý cung cấp"): without consent nothing identifying the reporter is kept.
    if not data.reporter_consent and (data.reporter_name or data.reporter_phone or data.reporter_address):
        errors["reporter_consent"] = _("The reporter's identity may be recorded only with their consent.")
    if data.classification == Classification.ABUSED and not data.abuse_forms:
        errors["abuse_forms"] = _("Choose at least one form of abuse.")
    if data.abuse_forms and data.primary_abuse_form and data.primary_abuse_form not in data.abuse_forms:
        errors["primary_abuse_form"] = _("The primary form must be one of the forms chosen.")
    if data.child is None and data.child_id is None:
        errors["child"] = _("Identify the child, or pick them from the registry.")
    if data.child is not None:
        c = data.child
        if not c.full_name.strip():
            errors["child.full_name"] = _("Give the child's name (or a known name).")
        if c.date_of_birth is None and c.estimated_age is None:
            errors["child.date_of_birth"] = _("Give the date of birth or an estimated age.")
        if c.date_of_birth and c.date_of_birth > timezone.localdate():
            errors["child.date_of_birth"] = _("The date of birth is in the future.")
        age = c.estimated_age
        if c.date_of_birth:
            # Judged on the day the report was received (issue 8, item 6): a report entered later
            # about a child who was 15 then is still a child's case.
            received = data.received_at if isinstance(data.received_at, dt.datetime) else None
            day = timezone.localtime(received).date() if received else timezone.localdate()
            age = day.year - c.date_of_birth.year - ((day.month, day.day) < (c.date_of_birth.month,
                                                                             c.date_of_birth.day))
        if age is not None and age >= CHILD_AGE_LIMIT:
            errors["child.date_of_birth"] = _("A child is a person under 16.")
        if c.sex not in Sex.values:
            errors["child.sex"] = _("Unknown sex.")


@transaction.atomic
def case_open(*, actor: Actor, data: IntakeInput) -> Case:
    """Record a report on form 01 and open the case in the commune where it happened.

    Who: anyone holding ``case.open`` (school staff, officers, police, health station, village
    collaborators, the 111 hotline), on behalf of their organisation.
    Writes: Child (unless picked from the registry), Incident, Perpetrators, Intake, Case, its
    classifications, one CaseEvent(CASE_OPENED), the case's deadlines.
    After commit: notifies the officers and chairperson of the receiving commune.
    Raises: PermissionDenied, ValidationError (per-field messages). A retried submit with the same
    ``client_token`` returns the case the first one opened.
    """
    assignments = capability_anywhere(actor, Capability.CASE_OPEN)
    if not assignments:
        raise PermissionDenied(_("You are not allowed to open cases."))
    if data.organisation_id is not None:
        assignments = [a for a in assignments if a.organisation_id == data.organisation_id]
        if not assignments:
            raise ValidationError({"organisation_id": _("You do not report on behalf of this organisation.")})
    assignment = assignments[0]

    if data.client_token:
        previous = Intake.objects.filter(received_by=actor, client_token=data.client_token).first()
        if previous is not None:
            return previous.case

    errors: dict = {}
    _validate(data, errors)
    commune = Area.objects.filter(pk=data.incident_commune_id, kind=AreaKind.COMMUNE, valid_to__isnull=True).first()
    if commune is None:
        errors["incident_commune_id"] = _("Choose the commune where it happened.")
    village = None
    if data.incident_village_id:
        village = Area.objects.filter(pk=data.incident_village_id, kind=AreaKind.VILLAGE).first()
        if village is None or (commune and village.parent_id != commune.pk):
            errors["incident_village_id"] = _("The village must lie in the commune of the incident.")
    child = None
    if data.child_id is not None:
        # Picking from the registry must not reveal children the reporter could not see.
        child = Child.objects.filter(pk=data.child_id, cases__in=case_queryset_for(actor)).first()
        if child is None:
            errors["child_id"] = _("Unknown child.")
    residence = None
    if data.child and data.child.residence_commune_id:
        residence = Area.objects.filter(pk=data.child.residence_commune_id, kind=AreaKind.COMMUNE).first()
        if residence is None:
            errors["child.residence_commune_id"] = _("Unknown commune.")
    try:
        abuse = _terms(TermKind.ABUSE_FORM, data.abuse_forms, "abuse_forms")
        groups = _terms(TermKind.SPECIAL_GROUP, data.special_groups, "special_groups")
        risk = _terms(TermKind.RISK_KIND, [data.risk_kind], "risk_kind")
        relations = [_terms(TermKind.RELATION, [p.relation_code], "perpetrators") for p in data.perpetrators]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or commune is None:
        raise ValidationError(errors)

    if child is None:
        c = data.child
        if c is None:   # _validate requires a child or a registry pick
            raise ValidationError({"child": _("This field is required.")})
        child = Child.objects.create(
            full_name=c.full_name.strip(), date_of_birth=c.date_of_birth, estimated_age=c.estimated_age,
            estimated_age_on=timezone.localdate() if c.estimated_age is not None else None, sex=c.sex,
            ethnicity=c.ethnicity, disability=c.disability, residence_area=residence, address=c.address,
            school_id=c.school_id, class_name=c.class_name, parents=c.parents, caregiver=c.caregiver,
        )
    incident = Incident.objects.create(
        occurred_at=data.occurred_at, commune=commune, village=village, place=data.place,
        environment=data.environment or Environment.OTHER, description=data.description,
    )
    for p, rel in zip(data.perpetrators, relations):
        Perpetrator.objects.create(incident=incident, relation=rel[0] if rel else None, is_child=p.is_child,
                                   sex=p.sex, note=p.note)
    try:
        with transaction.atomic():
            intake = Intake.objects.create(
                channel=data.channel, received_at=data.received_at, received_by=actor,
                receiving_organisation=assignment.organisation, reporter_consent=data.reporter_consent,
                reporter_name=data.reporter_name, reporter_phone=data.reporter_phone,
                reporter_address=data.reporter_address, reporter_relation=data.reporter_relation,
                child_condition=data.child_condition, likely_consequence=data.likely_consequence,
                family_situation=data.family_situation, help_given=data.help_given,
                classification=data.classification, urgent=data.urgent,
                caregiver_is_abuser=data.caregiver_is_abuser, routed_to=commune, client_token=data.client_token,
            )
    except IntegrityError:
        # The same token raced in from a second request: the first one's case is the answer.
        return Intake.objects.get(received_by=actor, client_token=data.client_token).case
    case = Case.objects.create(
        code=f"new-{uuid.uuid4().hex}", child=child, incident=incident, intake=intake,
        level=LEVEL_FOR[Classification(data.classification)], commune=commune, incident_commune=commune,
        residence_commune=residence or child.residence_area, reporting_organisation=assignment.organisation,
        risk_kind=risk[0] if risk else None, environment=data.environment,
        perpetrator_relation=relations[0][0] if relations and relations[0] else None,
        opened_at=timezone.now(),
    )
    primary = data.primary_abuse_form or (abuse[0].code if abuse else "")
    CaseAbuseForm.objects.bulk_create([CaseAbuseForm(case=case, term=t, primary=t.code == primary) for t in abuse])
    case.special_groups.set(groups)
    # Numbered from the row id: unique under concurrent intakes without a counter table.
    case.code = f"{commune.code}-{timezone.localdate().year}-{case.pk:06d}"
    case.version = 0  # commit_change bumps it to 1
    commit_change(
        None, case, type=CaseEventType.CASE_OPENED, actor=actor, assignment=assignment, fields=["code"],
        to_state=case.status,
        data={"channel": data.channel, "classification": data.classification, "level": case.level,
              "urgent": data.urgent, "routed_to": commune.pk, "received_at": data.received_at.isoformat()},
    )
    return case
