"""Give the existing roles the capabilities of the reports app (issue 10).

Roles seeded before this migration keep whatever an administrator changed; only the report
capabilities are added.
"""

from django.db import migrations

ADDED = {
    "school_staff": ["report.view", "report.draft", "report.sign"],
    "commune_officer": ["report.view", "report.draft", "report.receive"],
    "chairperson": ["report.view", "report.sign", "report.receive"],
    "village_collaborator": ["report.view", "report.draft", "report.sign"],
    "supervisor": ["report.view", "report.draft", "report.sign", "report.receive"],
}


def add(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    for code, caps in ADDED.items():
        for role in Role.objects.filter(code=code):
            role.capabilities = sorted(set(role.capabilities) | set(caps))
            role.save(update_fields=["capabilities"])


def remove(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    for code, caps in ADDED.items():
        for role in Role.objects.filter(code=code):
            role.capabilities = [c for c in role.capabilities if c not in caps]
            role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("permissions", "0005_authevent")]
    operations = [migrations.RunPython(add, remove)]
