"""The default IRP ladder (stages 1-4, 5 working days each) and the 20-working-day setting."""

from django.db import migrations

DEFAULT_LADDER = [
    (1, "Social work team manager", "sw_team_manager"),
    (2, "Head of service", "head_of_service"),
    (3, "Assistant director", "assistant_director"),
    (4, "Director", "director"),
]


def seed(apps, schema_editor):
    StageDefinition = apps.get_model("escalations", "StageDefinition")
    EscalationSettings = apps.get_model("escalations", "EscalationSettings")
    for order, name, level in DEFAULT_LADDER:
        StageDefinition.objects.get_or_create(
            order=order,
            defaults={"name": name, "responder_level": level, "response_working_days": 5},
        )
    EscalationSettings.objects.get_or_create(pk=1, defaults={"process_working_days": 20})


def unseed(apps, schema_editor):
    apps.get_model("escalations", "StageDefinition").objects.all().delete()
    apps.get_model("escalations", "EscalationSettings").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("escalations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
