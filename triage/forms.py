from django import forms

from casework.forms import VersionedForm, textarea

from . import labels as L


class ReportAttachForm(VersionedForm):
    target_code = forms.CharField(label=L.TARGET_LABEL, max_length=40)
    mode = forms.ChoiceField(label=L.MODE_LABEL, choices=L.MODE_CHOICES, initial="case")
    reason = forms.CharField(label=L.REASON_LABEL, widget=textarea(2))
