"""The Escalation responder role.

Escalation responders below head of service level (social work team managers) used to be kept in
the Head of service group, which also gives live figures, publishing the board's snapshots and
agreeing to move a child protection conference. They move to a role of their own that gives their
escalation queue and the children in the IRPs addressed to them. Heads of service, assistant
directors and directors stay where they are. The change only takes access away, so it needs no
second administrator's approval; it is written to the audit trail like any other group change.
"""

from django.db import migrations, models

HEAD_OF_SERVICE = "Head of service"
ESCALATION_RESPONDER = "Escalation responder"
MOVED_LEVELS = ("sw_team_manager",)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("iro", "User")
    AuditEvent = apps.get_model("iro", "AuditEvent")
    responders, _ = Group.objects.get_or_create(name=ESCALATION_RESPONDER)
    head = Group.objects.filter(name=HEAD_OF_SERVICE).first()
    if head is None:
        return
    moved = list(User.objects.filter(groups=head, responder_level__in=MOVED_LEVELS))
    for user in moved:
        user.groups.remove(head)
        user.groups.add(responders)
    _audit(AuditEvent, moved, removed=HEAD_OF_SERVICE, added=ESCALATION_RESPONDER)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("iro", "User")
    responders = Group.objects.filter(name=ESCALATION_RESPONDER).first()
    if responders is None:
        return
    head, _ = Group.objects.get_or_create(name=HEAD_OF_SERVICE)
    for user in User.objects.filter(groups=responders):
        user.groups.add(head)
    responders.delete()


def _audit(AuditEvent, users, *, removed, added):  # noqa: N803 - a historical model
    """The audit log's usual lines for a role removed and a role added (actor blank: a migration)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(subject=user, action=action, detail=group)
        for user in users
        for action, group in (("role_removed", removed), ("role_added", added))
    )


class Migration(migrations.Migration):
    dependencies = [("iro", "0008_allocation_iro_allocat_role_badcd5_idx_and_more")]
    operations = [
        migrations.AlterField(
            model_name="rolechangerequest",
            name="role",
            field=models.CharField(
                choices=[
                    ("iro", "IRO"),
                    ("team_manager", "IRO team manager"),
                    ("head_of_service", "Head of service"),
                    ("escalation_responder", "Escalation responder"),
                    ("performance_officer", "Performance officer"),
                    ("board_member", "Board member"),
                    ("administrator", "Administrator"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
