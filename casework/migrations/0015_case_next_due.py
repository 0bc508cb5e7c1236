"""Case.next_due_at (issue 14): the earliest due time of the case's live clocks, kept on the case
so work lists sort by urgency on an index; backfilled from the clocks in one statement."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    CaseDeadline = apps.get_model("casework", "CaseDeadline")
    # The same rule as services.deadlines.next_due: running or missed, and not met.
    earliest = (CaseDeadline.objects.filter(case=models.OuterRef("pk"), state__in=["running", "breached"],
                                            met_at__isnull=True)
                .order_by("due_at").values("due_at")[:1])
    Case.objects.update(next_due_at=models.Subquery(earliest))


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0014_conference_participants"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["next_due_at", "-opened_at", "-id"], name="case_next_due"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
