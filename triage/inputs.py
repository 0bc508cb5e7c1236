from rest_framework import serializers

from casework.api.inputs import WriteInput

from . import labels as L


class ReportAttachInput(WriteInput):
    target_code = serializers.CharField(max_length=40, help_text=L.TARGET_LABEL)
    mode = serializers.ChoiceField(choices=[c for c, _ in L.MODE_CHOICES], default="case",
                                   help_text=L.MODE_LABEL)
    reason = serializers.CharField(help_text=L.REASON_LABEL)
