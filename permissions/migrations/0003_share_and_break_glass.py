from django.db import migrations

ADDED = {"commune_officer": ["case.share"], "chairperson": ["case.share"], "supervisor": ["identity.break_glass"]}


def add(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    for code, caps in ADDED.items():
        for role in Role.objects.filter(code=code):
            role.capabilities = sorted(set(role.capabilities) | set(caps))
            role.save(update_fields=["capabilities"])


class Migration(migrations.Migration):
    dependencies = [("permissions", "0002_default_roles")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
