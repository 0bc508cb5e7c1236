from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportKind, ReportTheme

DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportNewForm(forms.Form):
    body_id = forms.TypedChoiceField(label=_("Reporting body"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100,
                              help_text=_("For 6-month and annual reports: the period follows the local schedule."))
    theme = forms.ChoiceField(label=_("Theme (thematic reports)"), choices=ReportTheme.choices, required=False)
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_id"].choices = [(b.pk, b.name) for b in bodies]


class NarrativeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    results = forms.CharField(label=_("I. Results"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    difficulties = forms.CharField(label=_("II. Difficulties"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    proposals = forms.CharField(label=_("III. Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
