"""Adds the prevention-level capabilities (issue 9) to the existing Role rows.

Roles may have been edited in the admin since 0002 seeded them, so this only appends what is
missing and never removes a capability an administrator gave or took away for other reasons.
"""

from django.db import migrations

CAPS = {
    "school_staff": ["prevention.view", "workplan.draft", "workplan.sign", "workplan.task_act", "activity.record"],
    "commune_officer": ["prevention.view", "workplan.draft", "workplan.task_act", "activity.record",
                        "registry.view", "registry.edit", "watch.raise"],
    "chairperson": ["prevention.view", "workplan.sign", "registry.view"],
    "commune_police": ["prevention.view", "workplan.task_act", "activity.record"],
    "health_station": ["prevention.view", "workplan.task_act", "activity.record"],
    "justice_officer": ["prevention.view", "workplan.task_act", "activity.record"],
    "village_collaborator": ["prevention.view", "workplan.task_act", "activity.record", "registry.view"],
    "supervisor": ["prevention.view", "registry.view"],
}


def add(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    for role in Role.objects.filter(code__in=CAPS):
        missing = [c for c in CAPS[role.code] if c not in role.capabilities]
        if missing:
            role.capabilities = [*role.capabilities, *missing]
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    for role in Role.objects.filter(code__in=CAPS):
        role.capabilities = [c for c in role.capabilities if c not in CAPS[role.code]]
        role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    # Only needs the Role table; after 0006 (reports' capabilities) so the graph has one leaf.
    dependencies = [("permissions", "0006_reports_capabilities")]

    operations = [migrations.RunPython(add, remove)]
