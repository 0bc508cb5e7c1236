"""Prevention's own file store is gone: its rows and bytes moved into the evidence pipeline
(evidence 0003), which now keeps the files of activities and reported target values."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('prevention', '0001_initial'),
        ('evidence', '0003_move_prevention_files'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Evidence',
        ),
    ]
