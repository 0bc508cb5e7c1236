"""Forms of the server-rendered pages.

Forms only parse and show input: every rule about what may change lives in
``casework.services``, whose ``ValidationError`` messages come back onto these forms field by
field (``apply_service_errors``). Field names are the services' keyword names, so a form's
``cleaned_data`` is passed straight through.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from workflows.states import Classification, ProtectionLevel, RiskLevel

from .models import CaseConference, Channel, Environment, Review, Sex, Term, TermKind

RISK_CHOICES = RiskLevel.choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per <option>.

    Commune and body lists run to hundreds of options (3,321 communes nationally): rendering each
    option through the template engine dominated the page time on slow machines.
    """

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, (list, tuple)) for _v, label in self.choices):
            return super().render(name, value, attrs, renderer)   # option groups: Django's way
        selected = set(self.format_value(value))
        options = "".join(
            format_html('<option value="{}"{}>{}</option>', "" if v is None else v,
                        mark_safe(" selected") if str("" if v is None else v) in selected else "", label)
            for v, label in self.choices)
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def term_choices(kind: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    rows = [(t.code, t.label) for t in Term.objects.of(kind).order_by("order", "code")]
    return ([("", blank)] if blank is not None else []) + rows


def grouped_term_choices(kind: str) -> list:
    """Terms under their parent, as optgroups (the abuse forms under violence, exploitation …,
    issue 8 item 13). A parent stays choosable as "other or not known" within its group; terms
    without children stand alone."""
    terms = list(Term.objects.of(kind).order_by("order", "code"))
    shown = {t.pk for t in terms}
    children: dict[int, list] = {}
    for t in terms:
        if t.parent_id in shown:
            children.setdefault(t.parent_id, []).append((t.code, t.label))
    out: list = []
    for t in terms:
        if t.parent_id in shown:
            continue
        if t.pk in children:
            out.append((t.label, [*children[t.pk], (t.code, _("Other or not known (%(form)s)") % {"form": t.label})]))
        else:
            out.append((t.code, t.label))
    return out


class VersionedForm(forms.Form):
    """Every form that changes a case posts back the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("confirm_effect", None)
        return data


class ConfirmsEffect(VersionedForm):
    """A decision with legal effect asks the person to confirm that effect in words before it
    is taken (issue 8, item 13): a required tick, so it works without JavaScript too."""

    effect: Any = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_effect"] = forms.BooleanField(
            label=self.effect, required=True,
            error_messages={"required": _("Tick the box to confirm the legal effect of this decision.")})


def apply_service_errors(form: forms.Form, exc) -> None:
    """Put a service's ValidationError onto the form, per field where the names match."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            name = key.split(".", 1)[-1] if key.split(".", 1)[-1] in form.fields else key
            field = name if name in form.fields and name != "version" else None
            for message in errors:
                form.add_error(field, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ------------------------------------------------------------------ journey A: intake (form 01)

class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the registry by name"), required=False, max_length=100)


class IntakeChildForm(forms.Form):
    """Screen 1: the child — picked from the registry or added."""

    child_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Full name (or a known name)"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    estimated_age = forms.IntegerField(label=_("Estimated age (when the date of birth is not known)"),
                                       required=False, min_value=0, max_value=17)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=64, required=False)
    disability = forms.CharField(label=_("Disability"), max_length=200, required=False)
    residence_commune_id = forms.TypedChoiceField(label=_("Commune of residence"), coerce=int, required=False,
                                                  empty_value=None, widget=FastSelect)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    class_name = forms.CharField(label=_("Class"), max_length=32, required=False)
    parents = forms.CharField(label=_("Parents"), required=False, widget=textarea(2))
    caregiver = forms.CharField(label=_("Caregiver"), max_length=255, required=False)
    confirm_new = forms.BooleanField(label=_("None of these is the child: add a new child"), required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_commune_id"].choices = [("", _("— not known —"))] + list(communes)

    def clean(self):
        data = super().clean()
        if data.get("child_id"):
            return data
        if not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Give the child's name (or a known name)."))
        if data.get("date_of_birth") is None and data.get("estimated_age") is None:
            self.add_error("date_of_birth", _("Give the date of birth or an estimated age."))
        dob = data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth is in the future."))
        return data


class IntakeReportForm(forms.Form):
    """Screen 2: what happened, where, how urgent, and its classification."""

    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices,
                                       widget=forms.RadioSelect)
    urgent = forms.BooleanField(label=_("The child's life, health or dignity is seriously threatened"),
                                required=False)
    caregiver_is_abuser = forms.BooleanField(label=_("A parent or caregiver is the alleged abuser"), required=False)
    abuse_forms = forms.MultipleChoiceField(label=_("Forms of abuse"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    risk_kind = forms.ChoiceField(label=_("Kind of risk"), required=False, widget=FastSelect)
    special_groups = forms.MultipleChoiceField(label=_("Special-circumstance groups"), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    channel = forms.ChoiceField(label=_("How the report came in"), choices=Channel.choices, initial=Channel.IN_PERSON,
                                widget=FastSelect)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput)
    incident_commune_id = forms.TypedChoiceField(label=_("Commune where it happened"), coerce=int, widget=FastSelect)
    occurred_at = forms.DateTimeField(label=_("When it happened"), required=False, widget=DateTimeInput)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    environment = forms.ChoiceField(label=_("Environment"), choices=Environment.choices, initial=Environment.OTHER,
                                    widget=FastSelect)
    description = forms.CharField(label=_("What happened"), required=False, widget=textarea(3))
    child_condition = forms.CharField(label=_("The child's condition"), required=False, widget=textarea(2))
    likely_consequence = forms.CharField(label=_("Likely consequence without help"), required=False,
                                         widget=textarea(2))
    family_situation = forms.CharField(label=_("Family situation"), required=False, widget=textarea(2))
    help_given = forms.CharField(label=_("Help already given"), required=False, widget=textarea(2))
    perpetrator_relation = forms.ChoiceField(label=_("Alleged perpetrator's relation to the child"), required=False,
                                             widget=FastSelect)
    perpetrator_is_child = forms.BooleanField(label=_("The alleged perpetrator is a child"), required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_commune_id"].choices = list(communes)
        self.fields["abuse_forms"].choices = grouped_term_choices(TermKind.ABUSE_FORM)
        self.fields["risk_kind"].choices = term_choices(TermKind.RISK_KIND, blank=_("— none —"))
        self.fields["special_groups"].choices = term_choices(TermKind.SPECIAL_GROUP)
        self.fields["perpetrator_relation"].choices = term_choices(TermKind.RELATION, blank=_("— not known —"))

    def clean(self):
        data = super().clean()
        if data.get("classification") == Classification.ABUSED and not data.get("abuse_forms"):
            self.add_error("abuse_forms", _("Choose at least one form of abuse."))
        received = data.get("received_at")
        if received and received > timezone.now() + dt.timedelta(minutes=5):
            self.add_error("received_at", _("The time received cannot be in the future."))
        return data


class IntakeReporterForm(forms.Form):
    """Screen 3: the reporter (only with consent) and confirmation."""

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reporter_consent = forms.BooleanField(label=_("The reporter consents to their identity being recorded"),
                                          required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=32, required=False)
    reporter_address = forms.CharField(label=_("Reporter's address"), max_length=255, required=False)
    reporter_relation = forms.CharField(label=_("Reporter's relation to the child"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("reporter_consent") and any(
                data.get(f) for f in ("reporter_name", "reporter_phone", "reporter_address")):
            self.add_error("reporter_consent",
                           _("The reporter's identity may be recorded only with their consent."))
        return data


# ------------------------------------------------------------------ journey B: case actions

class ConfirmForm(VersionedForm):
    """An action without input (start verification …)."""


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class OptionalReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Note"), required=False, widget=textarea(2))


class VerificationForm(VersionedForm):
    findings = forms.CharField(label=_("Verification findings (facts, how unsafe the child is, the risk)"),
                               widget=textarea(4))


class InitialAssessmentForm(VersionedForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RISK_CHOICES, widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), widget=textarea(4))
    life_threatened = forms.BooleanField(label=_("Life, health or dignity seriously threatened"), required=False)
    caregiver_is_abuser = forms.BooleanField(label=_("Parent or caregiver is the abuser"), required=False)
    emergency_needed = forms.BooleanField(label=_("Emergency measures needed"), required=False)


class EmergencyOrderForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Emergency measure"), widget=FastSelect)
    organisation_id = forms.TypedChoiceField(label=_("Responsible body"), coerce=int, widget=FastSelect)
    note = forms.CharField(label=_("Instructions"), required=False, widget=textarea(2))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = term_choices(TermKind.EMERGENCY_MEASURE)
        self.fields["organisation_id"].choices = list(organisations)


class EmergencyRecordForm(VersionedForm):
    measure_id = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect, choices=[
        ("taken", _("Carried out")), ("not_possible", _("Could not be carried out")), ("cancelled", _("Cancelled"))])
    done_at = forms.DateTimeField(label=_("Carried out at"), required=False, widget=DateTimeInput)
    note = forms.CharField(label=_("Note (the reason, if it could not be carried out or is cancelled)"),
                           required=False, widget=textarea(2))

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The outcomes this user may record (the offer model); a POST keeps every outcome and
        # lets the service refuse.
        if outcomes:
            self.fields["outcome"].choices = list(outcomes)


class IsolationIssueForm(ConfirmsEffect):
    effect = _("I confirm: the child is separated from the parents or caregiver and placed in safe care for the "
               "days given, from now, under form 07 (Decree 56/2017, art. 32.2–32.3).")
    decision_no = forms.CharField(label=_("Decision number"), max_length=64)
    days = forms.IntegerField(label=_("Days"), min_value=1, initial=15)
    placement = forms.CharField(label=_("Safe place / alternative care"), max_length=255)
    authority_request = forms.CharField(label=_("Request of a competent authority (over 15 days)"), required=False,
                                        max_length=255)


class IsolationExtendForm(VersionedForm):
    order_id = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Extra days"), min_value=1)
    authority_request = forms.CharField(label=_("Request of a competent authority (over 15 days)"), required=False,
                                        max_length=255)
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class IsolationRevokeForm(VersionedForm):
    order_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (home is safe again …)"), widget=textarea(2))


class ComprehensiveAssessmentForm(VersionedForm):
    """Form 03: the eight items of Decree 56 art. 27.1 a–h."""

    physical_psychological_state = forms.CharField(
        label=_("a. Physical, psychological and emotional state"), widget=textarea())
    family_circumstances = forms.CharField(
        label=_("b. Family circumstances and the parents' capacity to protect"), widget=textarea())
    risk_factors = forms.CharField(label=_("c. Factors that could lead to (further) abuse"), widget=textarea())
    schooling_self_protection = forms.CharField(label=_("d. Schooling and self-protection capacity"),
                                                widget=textarea())
    community_safety = forms.CharField(label=_("e. Safety and support of the community"), widget=textarea())
    needs = forms.CharField(label=_("f. Needs (medical, social assistance, education, legal aid, counselling, "
                                    "other services)"), widget=textarea())
    child_views = forms.CharField(label=_("g. The child's views and wishes"), widget=textarea())
    caregiver_views = forms.CharField(
        label=_("h. The parents' or caregiver's views (not asked when they caused the harm)"), required=False,
        widget=textarea())
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RISK_CHOICES, widget=forms.RadioSelect)


class ConferenceForm(VersionedForm):
    """Art. 27.2: who chaired, which bodies, the residential area's representative, the parents."""

    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput)
    chair_id = forms.TypedChoiceField(label=_("Chaired by"), coerce=int,
                                      help_text=_("The commune chairperson, or a deputy under a recorded delegation."))
    bodies_present_ids = forms.TypedMultipleChoiceField(label=_("Bodies present"), coerce=int,
                                                        widget=forms.CheckboxSelectMultiple)
    community_representative = forms.CharField(label=_("Representative of the residential area"), max_length=200,
                                               help_text=_("Name and position, e.g. the village head."))
    caregiver_present = forms.CharField(label=_("Parent or caregiver present"), max_length=200, required=False,
                                        help_text=_("Name and relation to the child."))
    caregiver_absence = forms.ChoiceField(label=_("Or: why no parent or caregiver attended"), required=False,
                                          choices=[("", _("— they attended —")),
                                                   *CaseConference.CaregiverAbsence.choices])
    participants = forms.CharField(label=_("Other participants"), required=False, widget=textarea(2))
    decisions = forms.CharField(label=_("Measures decided"), widget=textarea(3))

    def __init__(self, *args, chairs=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair_id"].choices = [("", _("— choose —")), *chairs]
        self.fields["bodies_present_ids"].choices = list(organisations)


class PlanDecisionForm(ConfirmsEffect):
    effect = _("I confirm: approving (form 05) makes the plan binding on the bodies named and on the parents or "
               "caregiver; each measure goes to its body as a task (Decree 56/2017, art. 28.4–28.5).")
    decision_no = forms.CharField(label=_("Decision number (form 05)"), max_length=64)


class CloseForm(ConfirmsEffect):
    effect = _("I confirm: the plan ends and the case is closed; whatever is still open is cancelled with this "
               "reason (Decree 56/2017, art. 30.1.b).")
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class ReopenForm(ConfirmsEffect):
    effect = _("I confirm: the case opens again at verification and its deadlines run again.")
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class ReviewForm(VersionedForm):
    harm_still_serious = forms.ChoiceField(label=_("Harm still serious"), choices=RISK_CHOICES,
                                           widget=forms.RadioSelect)
    abuser_can_reach_child = forms.ChoiceField(label=_("Abuser can still reach the child"), choices=RISK_CHOICES,
                                               widget=forms.RadioSelect)
    obstacles_at_home = forms.ChoiceField(label=_("Obstacles to safety at home"), choices=RISK_CHOICES,
                                          widget=forms.RadioSelect)
    child_capacity = forms.ChoiceField(label=_("The child's capacity to protect themselves and recover"),
                                       choices=RISK_CHOICES, widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), widget=textarea(3))
    recommendation = forms.ChoiceField(label=_("Proposal"), choices=Review.Recommendation.choices,
                                       widget=forms.RadioSelect)


class LevelForm(VersionedForm):
    level = forms.ChoiceField(label=_("New protection level"), choices=ProtectionLevel.choices, widget=FastSelect)
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class TransferRequestForm(VersionedForm):
    to_commune_id = forms.TypedChoiceField(label=_("Commune that takes over"), coerce=int, widget=FastSelect)
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_commune_id"].choices = list(communes)


class TransferAcceptForm(VersionedForm):
    transfer_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note"), required=False, widget=textarea(2))


class TransferDeclineForm(VersionedForm):
    transfer_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class TransferCancelForm(VersionedForm):
    transfer_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class TaskAssignForm(VersionedForm):
    organisation_id = forms.TypedChoiceField(label=_("Body"), coerce=int, widget=FastSelect)
    title = forms.CharField(label=_("Task"), max_length=255)
    details = forms.CharField(label=_("Details"), required=False, widget=textarea(2))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = list(organisations)


class TaskMoveForm(VersionedForm):
    """A task move that needs nothing but a click (accept, start, done)."""

    task_id = forms.IntegerField(widget=forms.HiddenInput)


class TaskReasonForm(TaskMoveForm):
    """A task move that records why (decline, could not be done, cancel)."""

    reason = forms.CharField(label=_("Reason"), widget=textarea(2))


class GrantForm(VersionedForm):
    """Share the case with one named user, for a purpose, until an expiry (``grants.grant_give``)."""

    username = forms.CharField(label=_("User name of the person"), max_length=150)
    purpose = forms.CharField(label=_("Purpose"), widget=textarea(2))
    days = forms.IntegerField(label=_("Days"), min_value=1, initial=7)
    identity = forms.BooleanField(label=_("Also show the child's identity"), required=False)

    def service_kwargs(self) -> dict:
        from django.contrib.auth import get_user_model

        data = super().service_kwargs()
        username = data.pop("username")
        # An unknown name goes to the service as an id no user has: it answers "Unknown user".
        data["user_id"] = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first() or 0
        return data


class BreakGlassForm(VersionedForm):
    reason = forms.CharField(label=_("Why you must see the identity"), widget=textarea(2))


class TaskLogForm(VersionedForm):
    task_id = forms.IntegerField(widget=forms.HiddenInput)
    acted_on = forms.DateField(label=_("Date"), widget=DateInput)
    action = forms.CharField(label=_("Action taken"), widget=textarea(2))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=textarea(2))


# ------------------------------------------------------------------ plan drafting (form 04)

class PlanForm(VersionedForm):
    goals = forms.CharField(label=_("Goals"), widget=textarea(3))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    review_on = forms.DateField(label=_("Review on"), widget=DateInput)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), widget=FastSelect)
    responsible_id = forms.TypedChoiceField(label=_("Responsible body"), coerce=int, widget=FastSelect)
    coordinating_id = forms.TypedChoiceField(label=_("Coordinating body"), coerce=int, required=False,
                                             empty_value=None, widget=FastSelect)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput)
    ends_on = forms.DateField(label=_("Expected end"), widget=DateInput)
    description = forms.CharField(label=_("Description"), required=False, widget=textarea(2))
    resources = forms.CharField(label=_("Resources / service providers"), required=False, max_length=255)
    cost = forms.DecimalField(label=_("Cost estimate (VND)"), required=False, min_value=0, decimal_places=0,
                              max_digits=14)
    provider_ids = forms.TypedMultipleChoiceField(label=_("Service providers mobilised (art. 28.3.c)"), coerce=int,
                                                  required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisations=(), measure_choices=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_ids"].choices = list(providers)
        self.fields["kind"].choices = [("", "—")] + list(measure_choices)
        self.fields["responsible_id"].choices = [("", "—")] + list(organisations)
        self.fields["coordinating_id"].choices = [("", _("— none —"))] + list(organisations)


class BaseMeasureFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not filled:
            raise forms.ValidationError(_("The plan needs at least one measure."))


MeasureFormSet = forms.formset_factory(MeasureForm, formset=BaseMeasureFormSet, extra=2, can_delete=True,
                                       max_num=40)


# ------------------------------------------------------------------ journey C: timeline filter

class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), required=False, widget=FastSelect)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All events"))] + list(kinds)
