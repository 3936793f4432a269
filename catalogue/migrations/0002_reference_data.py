from django.db import migrations

from catalogue.reference import load_categories, load_hs_codes


def forwards(apps, schema_editor):
    load_hs_codes(apps.get_model("catalogue", "HSCode"))
    load_categories(apps.get_model("catalogue", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
