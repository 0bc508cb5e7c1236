"""Issue 8: the commune chairperson's decisions (Decree 56/2017 art. 27.2, 28.4, 30.1, 31, 32).

- a deputy chairperson role, which decides only under a recorded ``Delegation``;
- the decision capabilities taken off any role but the chairperson's (an administrator may have
  ticked them; the code ignores them there anyway, and the admin now refuses them).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DECISIONS = ("plan.decide", "isolation.decide", "emergency.order")
DEPUTY = ["case.open", "case.view", "case.declare_emergency", "case.level", "case.reopen", "identity.view",
          "report.view"]


def forward(apps, schema_editor):
    Role = apps.get_model("permissions", "Role")
    Role.objects.get_or_create(code="deputy_chairperson", defaults={"scope": "area", "capabilities": DEPUTY})
    for role in Role.objects.exclude(code="chairperson"):
        kept = [c for c in role.capabilities if c not in DECISIONS]
        if kept != role.capabilities:
            role.capabilities = kept
            role.save(update_fields=["capabilities"])


def backward(apps, schema_editor):
    apps.get_model("permissions", "Role").objects.filter(code="deputy_chairperson", assignments__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0008_event_hash_chain'),
        ('permissions', '0007_prevention_capabilities'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='role',
            name='code',
            field=models.CharField(choices=[('school_staff', 'School counsellor / principal'), ('commune_officer', 'Commune child-protection officer'), ('chairperson', 'Commune chairperson'), ('commune_police', 'Commune police'), ('health_station', 'Commune health station'), ('justice_officer', 'Justice officer'), ('village_collaborator', 'Village collaborator'), ('service_provider', 'Service provider'), ('hotline', '111 hotline'), ('supervisor', 'Supervisor'), ('administrator', 'Administrator'), ('deputy_chairperson', 'Commune deputy chairperson')], max_length=32, unique=True, verbose_name='code'),
        ),
        migrations.CreateModel(
            name='Delegation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='from')),
                ('ends_at', models.DateTimeField(verbose_name='until')),
                ('reference', models.CharField(help_text="The chairperson's decision or letter that delegates, with its number.", max_length=255, verbose_name='delegation document')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations', to='casework.area', verbose_name='commune')),
                ('delegate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations', to=settings.AUTH_USER_MODEL, verbose_name='deputy chairperson')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': "delegation of the chairperson's decisions",
                'verbose_name_plural': "delegations of the chairperson's decisions",
                'ordering': ['-starts_at'],
                'indexes': [models.Index(fields=['delegate', 'commune'], name='delegation_lookup')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
