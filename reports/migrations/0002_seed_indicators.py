from django.db import migrations


def seed(apps, schema_editor):
    from reports.indicator_data import AGE_BANDS, AGE_SOURCE, INDICATORS

    Indicator = apps.get_model("reports", "Indicator")
    AgeBand = apps.get_model("reports", "AgeBand")
    for order, (code, vi, en, definition, unit, dims, computation, source) in enumerate(INDICATORS):
        Indicator.objects.update_or_create(code=code, defaults={
            "name_vi": vi, "name_en": en, "definition": definition, "unit": unit, "disaggregations": dims,
            "computation": computation, "source": source, "order": order})
    for order, (code, vi, en, lo, hi) in enumerate(AGE_BANDS):
        AgeBand.objects.update_or_create(code=code, defaults={
            "label_vi": vi, "label_en": en, "min_age": lo, "max_age": hi, "source": AGE_SOURCE, "order": order})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
