"""The starting text of a record written to the child for each age band (letters.defaults), as
rows administrators can change. A band that already has a row keeps it."""

from django.db import migrations


def seed(apps, schema_editor):
    from letters.defaults import DEFAULT_TEMPLATES

    template = apps.get_model("letters", "ChildRecordTemplate")
    for band, text in DEFAULT_TEMPLATES.items():
        template.objects.get_or_create(age_band=band, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_profiles_letters_and_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
