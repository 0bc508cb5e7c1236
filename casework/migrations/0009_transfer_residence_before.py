"""Issue 8, item 8: a transfer keeps the child's residence as it was when it was asked, so a
declined or withdrawn transfer restores it. Existing transfers take it from their request's
timeline event (its ``changes``), which recorded the residence before."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    Transfer = apps.get_model("casework", "Transfer")
    CaseEvent = apps.get_model("casework", "CaseEvent")
    for event in CaseEvent.objects.filter(type=110).only("data", "changes"):  # TRANSFER_REQUESTED
        transfer_id = (event.data or {}).get("transfer")
        before = (event.changes or {}).get("residence_commune") or [None]
        if transfer_id and before[0]:
            Transfer.objects.filter(pk=transfer_id, residence_before__isnull=True).update(residence_before_id=before[0])


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0008_event_hash_chain'),
    ]

    operations = [
        migrations.AddField(
            model_name='transfer',
            name='residence_before',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.area', verbose_name='commune of residence before the transfer'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
