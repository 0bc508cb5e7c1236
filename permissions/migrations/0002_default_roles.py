from django.db import migrations


def seed(apps, schema_editor):
    from permissions.roles import DEFAULT_ROLES

    Role = apps.get_model("permissions", "Role")
    for code, spec in DEFAULT_ROLES.items():
        Role.objects.update_or_create(
            code=str(code), defaults={"scope": str(spec["scope"]), "capabilities": [str(c) for c in spec["capabilities"]]})


class Migration(migrations.Migration):
    dependencies = [("permissions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
