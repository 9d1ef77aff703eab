"""The Escalation responder role: a social work team manager answers the IRPs addressed to them
and sees those children, and nothing of the IRO service's oversight (live figures, the board's
snapshots, agreeing to move a conference). Migration 0009 moves existing ones out of the Head of
service group."""

from importlib import import_module

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from escalations import selectors
from iro.models import AuditEvent, ResponderLevel
from iro.roles import RESPONDER_ROLES, ROLES_NEEDING_APPROVAL, Role, group_name, responder_role
from tests.escalations.factories import make_responder, raise_irp, stage
from tests.iro.factories import make_user

migration = import_module("iro.migrations.0009_escalation_responder_role")


def perms(role: Role) -> set[str]:
    group = Group.objects.get(name=group_name(role))
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_role_answers_irps_and_sees_their_children_but_reads_no_figures(db):
    granted = perms(Role.ESCALATION_RESPONDER)
    assert granted == {
        "escalations.view_escalation",
        "escalations.respond_escalation",
        "iro.view_child",
    }
    assert not {p for p in granted if p.startswith(("reporting.", "reviews.", "protection."))}
    assert "reporting.view_reports" in perms(Role.HEAD_OF_SERVICE)
    assert "reporting.publish_snapshot" in perms(Role.HEAD_OF_SERVICE)
    # It sees children (those in its IRPs), so giving it needs a second administrator.
    assert Role.ESCALATION_RESPONDER in ROLES_NEEDING_APPROVAL


def test_new_responders_get_the_role_for_their_level():
    assert responder_role(ResponderLevel.SW_TEAM_MANAGER) == Role.ESCALATION_RESPONDER
    for level in (
        ResponderLevel.HEAD_OF_SERVICE,
        ResponderLevel.ASSISTANT_DIRECTOR,
        ResponderLevel.DIRECTOR,
    ):
        assert responder_role(level) == Role.HEAD_OF_SERVICE


def test_either_responder_role_can_be_named_once_each(db):
    sam = make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")
    head = make_responder(ResponderLevel.HEAD_OF_SERVICE, username="harriet")
    both = make_user(Role.HEAD_OF_SERVICE, username="bo", responder_level="sw_team_manager")
    both.groups.add(Group.objects.get(name=group_name(Role.ESCALATION_RESPONDER)))
    make_user(Role.TEAM_MANAGER, username="tess", responder_level="sw_team_manager")
    make_user(Role.ESCALATION_RESPONDER, username="nolevel")
    named = list(selectors.responders().order_by("username").values_list("username", flat=True))
    assert named == ["bo", "harriet", "sam"]
    assert set(selectors.responders_for(stage(1))) == {both, sam}
    assert list(selectors.responders_for(stage(2))) == [head]
    assert set(RESPONDER_ROLES) == {Role.HEAD_OF_SERVICE, Role.ESCALATION_RESPONDER}


def test_home_is_the_queue_and_the_navigation_has_no_reports(db, login, iro_allocated, child):
    sam = make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam")
    irp = raise_irp(iro=iro_allocated, children=[child], responder=sam)
    client = login(sam)
    html = client.get("/").content.decode()
    assert '<h1 class="govuk-heading-xl">Escalation queue</h1>' in html
    assert f"/escalations/{irp.pk}/" in html
    assert ">Escalations<" in html and ">Children<" in html
    assert ">Reports<" not in html
    assert client.get("/reporting/").status_code == 403
    assert client.get("/reporting/snapshots/publish/").status_code == 403
    # The child named in the IRP addressed to them is theirs to see.
    assert client.get(f"/children/{child.pk}/").status_code == 200


def test_migration_moves_social_work_team_managers_out_of_head_of_service(db):
    head_group = Group.objects.get(name=group_name(Role.HEAD_OF_SERVICE))
    responder_group = Group.objects.get(name=group_name(Role.ESCALATION_RESPONDER))
    # As the service kept them before: every responder in the Head of service group.
    old = {
        level: make_user(Role.HEAD_OF_SERVICE, username=level, responder_level=level)
        for level in ResponderLevel.values
        if level
    }
    AuditEvent.objects.all().delete()
    # The models as the migration sees them (the service's own signal handlers do not run).
    apps = (
        MigrationExecutor(connection)
        .loader.project_state([("iro", "0009_escalation_responder_role")])
        .apps
    )

    migration.forwards(apps, None)

    moved = old[ResponderLevel.SW_TEAM_MANAGER]
    assert set(moved.groups.all()) == {responder_group}
    for level, user in old.items():
        if level != ResponderLevel.SW_TEAM_MANAGER:
            assert set(user.groups.all()) == {head_group}, level
    events = sorted(AuditEvent.objects.values_list("subject__username", "action", "detail"))
    assert events == [
        ("sw_team_manager", "role_added", "Escalation responder"),
        ("sw_team_manager", "role_removed", "Head of service"),
    ]
    assert AuditEvent.objects.filter(actor__isnull=False).count() == 0

    # Run again: nobody else to move, nothing more written.
    migration.forwards(apps, None)
    assert AuditEvent.objects.count() == 2

    # Backwards gives every escalation responder the Head of service role again.
    migration.backwards(apps, None)
    assert head_group in moved.groups.all()
    assert not Group.objects.filter(name=group_name(Role.ESCALATION_RESPONDER)).exists()
