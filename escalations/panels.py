"""What the escalations app adds to the shell: home panels, child record section, timeline."""

from django.urls import reverse
from django.utils import timezone

from escalations import selectors
from escalations.presenters import escalation_rows
from iro.registry import Panel, TimelineEntry, read_once_for_record
from iro.roles import RESPONDER_ROLES, Role

PANEL_ROWS = 5


def can_use_escalations(user) -> bool:
    return user.has_role(Role.IRO, Role.TEAM_MANAGER, *RESPONDER_ROLES)


def _total(queryset, shown: list) -> int:
    """How many rows `queryset` has, given its first PANEL_ROWS: counted only when the panel is
    full (most people have fewer open IRPs than a panel shows)."""
    return len(shown) if len(shown) < PANEL_ROWS else queryset.count()


def queue_panel(request) -> Panel:
    today = timezone.localdate()
    queue = selectors.escalation_queue(request.user)
    shown = list(queue[:PANEL_ROWS])
    rows = escalation_rows(shown, today, request.user)
    return Panel(
        "escalations/panels/queue.html",
        {"rows": rows, "total": _total(queue, shown), "url": reverse("escalations:queue")},
        order=10,
    )


def iro_panel(request) -> Panel:
    today = timezone.localdate()
    escalations = selectors.escalations_for_iro(request.user)
    concerns = selectors.concerns_for_iro(request.user)
    shown = list(escalations[:PANEL_ROWS])
    return Panel(
        "escalations/panels/iro.html",
        {
            "rows": escalation_rows(shown, today, request.user),
            "escalation_total": _total(escalations, shown),
            "concern_total": concerns.count(),
            "url": reverse("escalations:mine"),
        },
        order=50,
    )


def manager_panel(request) -> Panel:
    today = timezone.localdate()
    qs = selectors.open_escalations()
    return Panel(
        "escalations/panels/manager.html",
        {
            "total": qs.count(),
            "process_overdue": qs.filter(process_deadline__lt=today).count(),
            "url": reverse("escalations:all"),
        },
        order=60,
    )


def _child_records(user, child) -> tuple[list, list]:
    """The child's concerns and IRPs that `user` may see, shown by the record's section and its
    timeline: read once."""
    return read_once_for_record(
        child,
        f"escalations_for_{user.pk}",
        lambda: (
            list(selectors.child_concerns(user, child)),
            list(selectors.child_escalations(user, child)),
        ),
    )


def child_section(request, child) -> Panel | None:
    user = request.user
    concerns, escalations = _child_records(user, child)
    if not concerns and not escalations and not user.has_role(Role.IRO):
        return None
    return Panel(
        "escalations/panels/child.html",
        {
            "child": child,
            "concerns": concerns,
            "escalations": escalations,
            "can_raise": user.has_role(Role.IRO),
            "concern_url": reverse("escalations:concern_new") + f"?child={child.pk}",
            "irp_url": reverse("escalations:new") + f"?child={child.pk}",
        },
        order=60,
    )


def child_timeline(child, user) -> list[TimelineEntry]:
    concerns, escalations = _child_records(user, child)
    entries = [
        TimelineEntry(
            when=c.raised_on,
            kind="concern",
            title=f"IRO concern: {c.get_category_display()}",
            detail=c.get_status_display(),
            url=reverse("escalations:concern", kwargs={"pk": c.pk}),
        )
        for c in concerns
    ]
    entries += [
        TimelineEntry(
            when=e.raised_on,
            kind="escalation",
            title=f"IRP raised: {e.get_category_display()}",
            detail=f"{e.get_status_display()}, stage {e.current_stage.order}",
            url=reverse("escalations:detail", kwargs={"pk": e.pk}),
        )
        for e in escalations
    ]
    return entries
