from django import forms
from django.utils.translation import gettext_lazy as _


class AttachForm(forms.Form):
    target = forms.ChoiceField(label=_("Attach to"))
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    description = forms.CharField(label=_("What the file is"), max_length=255, required=False,
                                  help_text=_("E.g. “medical certificate of 3 March”. Avoid the child's name."))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(targets)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=1000)


class RecordAttachForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    description = forms.CharField(label=_("What the file is"), max_length=255, required=False,
                                  help_text=_("E.g. “attendance of 3 March”. Avoid children's names."))
