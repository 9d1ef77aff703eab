"""Demo data and one sign-in per role: `manage.py seed_demo`. Does nothing if already seeded."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from iro.models import ResponderLevel, User
from iro.registry import registry
from iro.roles import Role, group_name

DEMO_PASSWORD = "iro-demo-2026"
DEMO_SEED = 20260401
SIGN_INS = [
    ("iro", "IRO with a caseload"),
    ("manager", "IRO team manager of that IRO's team"),
    ("head", "Head of service (escalation responder at the later stages)"),
    ("responder", "Escalation responder: a social work team manager (first stage of the IRP)"),
    ("performance", "Performance officer"),
    ("board", "Corporate parenting board member"),
    ("admin", "Administrator"),
    ("governance", "Information governance officer (the access log)"),
]


class Command(BaseCommand):
    help = "Seed the demo: synthetic data at demo scale and one sign-in per role."

    def handle(self, *args, **options):
        if User.objects.filter(username="iro").exists():
            self.stdout.write("Demo data is already there.")
        else:
            call_command("generate_data", scale="demo", seed=DEMO_SEED, stdout=self.stdout)
            self._make_sign_ins()
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, label in SIGN_INS:
            self.stdout.write(f"  {username:<12} {label}")

    @transaction.atomic
    def _make_sign_ins(self) -> None:
        iro = (
            User.objects.filter(groups__name=group_name(Role.IRO))
            .annotate(open=Count("allocations", filter=Q(allocations__end__isnull=True)))
            .order_by("-open", "pk")
            .first()
        )
        manager = iro.team.manager  # type: ignore[union-attr]
        head = (
            User.objects.filter(responder_level=ResponderLevel.HEAD_OF_SERVICE)
            .order_by("pk")
            .first()
        )
        # A social work team manager, who answers the IRPs addressed to them at stage 1.
        responder = (
            User.objects.filter(
                groups__name=group_name(Role.ESCALATION_RESPONDER),
                responder_level=ResponderLevel.SW_TEAM_MANAGER,
            )
            .order_by("pk")
            .first()
        )
        performance = User.objects.filter(groups__name=group_name(Role.PERFORMANCE_OFFICER)).first()
        board = User.objects.filter(groups__name=group_name(Role.BOARD_MEMBER)).first()
        admin = User.objects.filter(groups__name=group_name(Role.ADMINISTRATOR)).first()
        # Made here rather than by the synthetic generator, whose people (and so every random
        # draw after them) stay as they are.
        governance = User.objects.create(
            username="governance",
            first_name="Gwen",
            last_name="Howells",
            email="governance@example.org",
            job_title="Information governance officer",
        )
        governance.groups.add(Group.objects.get(name=group_name(Role.INFORMATION_GOVERNANCE)))
        sign_ins = {}
        for user, username in [
            (iro, "iro"),
            (manager, "manager"),
            (head, "head"),
            (responder, "responder"),
            (performance, "performance"),
            (board, "board"),
            (admin, "admin"),
            (governance, "governance"),
        ]:
            user.username = username  # type: ignore[union-attr]
            user.set_password(DEMO_PASSWORD)  # type: ignore[union-attr]
            if username == "admin":
                user.is_staff = True  # type: ignore[union-attr]
            user.save()  # type: ignore[union-attr]
            sign_ins[username] = user
        for provider in registry.demo_data:
            provider(sign_ins, timezone.localdate())
