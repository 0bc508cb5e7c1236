"""Issue 8, item 5: the taxonomy's legal references written the Vietnamese way and corrected
(Law on Children art. 4 items 5–9, trafficking in art. 6.2, art. 50.2 đ/e, emergency duties in
art. 31.3 of Decree 56), and labels in the law's words. Plan measures already on file keep the
citation they were approved with."""

from django.db import migrations


def refresh(apps, schema_editor):
    from casework.taxonomy_data import load_taxonomy

    load_taxonomy(apps.get_model("casework", "Term"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0011_event_types")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
