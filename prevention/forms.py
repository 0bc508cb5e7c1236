"""Forms of the prevention pages: they parse and show errors; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Sex, Term, TermKind

from .states import (
    ActivityKind,
    GoalKind,
    Measurement,
    PopulationScope,
    Recurrence,
    RegistryCategory,
    SupportKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanStartForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Issuing body"), coerce=int)
    year_from = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100, required=False,
                                 help_text=_("Only for a multi-year programme such as 2021–2030."))

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = list(bodies)


class PlanHeaderForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    number = forms.CharField(label=_("Number"), max_length=60, required=False,
                             help_text=_('e.g. "226/KH-PGDĐT"'))
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    governing_body = forms.CharField(label=_("Governing body line"), max_length=200, required=False)
    national_motto = forms.BooleanField(label=_("Print the national motto"), required=False)
    parent_citation = forms.CharField(label=_("Higher plan implemented (citation)"), max_length=500,
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))
    parent_id = forms.TypedChoiceField(label=_("Higher plan in the system"), coerce=int, required=False,
                                       empty_value=None)
    legal_bases = forms.CharField(label=_("Legal bases"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("One per line."))
    preamble = forms.CharField(label=_("Opening paragraph"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label=_("Closing sentence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recipients = forms.CharField(label=_("Recipients (Nơi nhận)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One per line."))
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=120, required=False,
                                       help_text=_('e.g. "KT. CHỦ TỊCH"'))
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200, required=False)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_id"].choices = [("", "—"), *parents]


class TargetForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    wording = forms.CharField(label=_("Wording"), widget=forms.Textarea(attrs={"rows": 3}))
    goal_kind = forms.ChoiceField(label=_("Goal"), choices=GoalKind.choices)
    goal_value = forms.DecimalField(label=_("Goal value"), required=False, min_value=0)
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, min_value=0)
    baseline_note = forms.CharField(label=_("Baseline source"), max_length=255, required=False)
    measurement = forms.ChoiceField(label=_("How it is measured"), choices=Measurement.choices)
    indicator_code = forms.CharField(label=_("Indicator code"), max_length=40, required=False,
                                     help_text=_("For a computed indicator, e.g. 0101 or BV05."))
    activity_kinds = forms.MultipleChoiceField(label=_("Activity kinds counted"), choices=ActivityKind.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    population = forms.ChoiceField(label=_("Children counted"), choices=PopulationScope.choices)
    responsible_id = forms.TypedChoiceField(label=_("Responsible body"), coerce=int, required=False,
                                            empty_value=None)
    milestones = forms.CharField(label=_("Milestones"), required=False,
                                 help_text=_('One per line: year and value, e.g. "2025 99.1".'))

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_id"].choices = [("", "—"), *bodies]

    def clean_milestones(self):
        rows = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(_('Write each milestone as a year and a value, e.g. "2025 99.1".'))
            rows.append((parts[0], parts[1].replace(",", ".")))
        return rows


class TaskAssignForm(forms.Form):
    organisation_id = forms.TypedChoiceField(label=_("Body"), coerce=int)
    body_label = forms.CharField(label=_("As named in the plan"), max_length=200, required=False)
    title = forms.CharField(label=_("Task"), max_length=300)
    description = forms.CharField(label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = list(bodies)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    organiser_id = forms.TypedChoiceField(label=_("Organiser"), coerce=int)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    plan_task_id = forms.TypedChoiceField(label=_("Plan task served"), coerce=int, required=False, empty_value=None)
    girls_0_5 = forms.IntegerField(label=_("Girls 0–5"), min_value=0, required=False)
    boys_0_5 = forms.IntegerField(label=_("Boys 0–5"), min_value=0, required=False)
    girls_6_10 = forms.IntegerField(label=_("Girls 6–10"), min_value=0, required=False)
    boys_6_10 = forms.IntegerField(label=_("Boys 6–10"), min_value=0, required=False)
    girls_11_15 = forms.IntegerField(label=_("Girls 11–15"), min_value=0, required=False)
    boys_11_15 = forms.IntegerField(label=_("Boys 11–15"), min_value=0, required=False)
    parents = forms.IntegerField(label=_("Parents and caregivers"), min_value=0, required=False)
    staff = forms.IntegerField(label=_("Staff and officials"), min_value=0, required=False)
    cost = forms.DecimalField(label=_("Cost (VND)"), min_value=0, required=False, decimal_places=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sheet = forms.FileField(label=_("Attendance sheet (CSV or XLSX)"), required=False, help_text=_(
        "Columns: Họ và tên, Giới tính (Nam/Nữ), Tuổi or Năm sinh, Đối tượng (Trẻ em / Cha mẹ / Cán bộ)."))
    evidence = forms.FileField(label=_("Photo or document"), required=False)

    def __init__(self, *args, organisers=(), tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_id"].choices = list(organisers)
        self.fields["plan_task_id"].choices = [("", "—"), *tasks]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))


class PopulationForm(forms.Form):
    commune_id = forms.TypedChoiceField(label=_("Commune"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    girls_0_5 = forms.IntegerField(label=_("Girls 0–5"), min_value=0)
    boys_0_5 = forms.IntegerField(label=_("Boys 0–5"), min_value=0)
    girls_6_10 = forms.IntegerField(label=_("Girls 6–10"), min_value=0)
    boys_6_10 = forms.IntegerField(label=_("Boys 6–10"), min_value=0)
    girls_11_15 = forms.IntegerField(label=_("Girls 11–15"), min_value=0)
    boys_11_15 = forms.IntegerField(label=_("Boys 11–15"), min_value=0)
    households = forms.IntegerField(label=_("Households"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=255, required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_id"].choices = list(communes)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"), help_text=_(
        "Columns: Mã xã, Năm, Nữ 0-5, Nam 0-5, Nữ 6-10, Nam 6-10, Nữ 11-15, Nam 11-15, Số hộ."))


def special_groups():
    return [(t.code, f"{t.legal_article or t.code} — {t.label}") for t in Term.objects.of(TermKind.SPECIAL_GROUP)]


def risk_kinds():
    return [("", "—"), *[(t.code, t.label) for t in Term.objects.of(TermKind.RISK_KIND)]]


class RegistryForm(forms.Form):
    commune_id = forms.TypedChoiceField(label=_("Commune"), coerce=int)
    village_id = forms.TypedChoiceField(label=_("Village"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), choices=RegistryCategory.choices)
    groups = forms.MultipleChoiceField(label=_("Special-circumstance groups (art. 10)"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    risk_kind = forms.ChoiceField(label=_("Kind of risk"), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=15)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    parents = forms.CharField(label=_("Parents"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    caregiver = forms.CharField(label=_("Caregiver"), max_length=255, required=False)
    since = forms.DateField(label=_("On the registry since"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_id"].choices = list(communes)
        self.fields["village_id"].choices = [("", "—"), *villages]
        self.fields["groups"].choices = special_groups()
        self.fields["risk_kind"].choices = risk_kinds()


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    given_on = forms.DateField(label=_("Date"), widget=DATE)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (VND)"), required=False, min_value=0, decimal_places=0)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class WatchForm(forms.Form):
    concern = forms.CharField(label=_("Concern"), widget=forms.Textarea(attrs={"rows": 3}))
    visit_plan = forms.CharField(label=_("Visit plan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_by_id = forms.TypedChoiceField(label=_("Who follows up"), coerce=int)
    next_visit_on = forms.DateField(label=_("Next visit"), required=False, widget=DATE)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_by_id"].choices = list(bodies)


class TargetReportForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), min_value=0)
    period_end = forms.DateField(label=_("As of"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)
    file = forms.FileField(label=_("Evidence"), required=False)
