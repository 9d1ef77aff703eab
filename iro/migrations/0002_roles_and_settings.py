"""Create the role groups and the service settings row."""

from django.db import migrations

ROLE_GROUPS = [
    "IRO",
    "IRO team manager",
    "Head of service",
    "Performance officer",
    "Board member",
    "Administrator",
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    ServiceSettings = apps.get_model("iro", "ServiceSettings")
    ServiceSettings.objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("iro", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, remove)]
