"""How the protection app plugs into the case core (iro.registry), called from ProtectionConfig.ready()."""

from django.utils import timezone

from iro.navigation import url_or_blank as _url
from iro.registry import (
    MeetingDetail,
    NavItem,
    Panel,
    TimelineEntry,
    read_once_for_record,
    registry,
)
from iro.roles import Role


def meeting_details(meetings) -> dict:
    """Label, link, due date and flags of the conference meetings among `meetings` (one query)."""
    from protection.models import Conference
    from protection.selectors import conference_flags

    by_id = {m.pk: m for m in meetings}
    if not by_id:
        return {}
    by_meeting: dict[int, list] = {}
    # One reverse() for all rows: the URL differs only by the conference id.
    url_pattern = _url("protection:conference_detail", 0).replace("/0/", "/{}/")
    for conference in (
        Conference.objects.filter(meeting_id__in=by_id)
        .exclude(status="cancelled")
        .select_related("child")
        .only(
            "id",
            "kind",
            "status",
            "due",
            "held_on",
            "meeting_id",
            "child__la_child_id",
            "child__first_name",
            "child__last_name",
        )
        .order_by("meeting_id", "child__last_name", "pk")
    ):
        conference.meeting = by_id[conference.meeting_id]  # already loaded, with its chair
        by_meeting.setdefault(conference.meeting_id, []).append(conference)
    details = {}
    for meeting_id, conferences in by_meeting.items():
        first = conferences[0]
        names = ", ".join(str(c.child) for c in conferences)
        flags = []
        for conference in conferences:
            flags.extend(f for f in conference_flags(conference) if f not in flags)
        details[meeting_id] = MeetingDetail(
            label=f"{first.short_kind}: {names}",
            url=url_pattern.format(first.pk) if url_pattern else "",
            due=min(c.due for c in conferences),
            flags=tuple(flags),
        )
    return details


def _child_history(child) -> dict:
    """The child's CP history, shown by the record's section and its timeline: read once."""
    from protection.selectors import child_history

    return read_once_for_record(child, "cp_history", lambda: child_history(child))


def child_section(request, child):
    if not request.user.has_perm("protection.view_conference"):
        return None
    history = _child_history(child)
    if not (history["discussions"] or history["conferences"] or history["plans"]):
        can_add = request.user.has_perm("protection.add_strategydiscussion")
        if not can_add:
            return None
    return Panel(
        template="protection/includes/child_section.html",
        context={
            "child": child,
            "can_add": request.user.has_perm("protection.add_strategydiscussion"),
            **history,
        },
        order=40,
    )


def timeline(child, user) -> list[TimelineEntry]:
    from protection.models import ConferenceStatus

    if not user.has_perm("protection.view_conference"):
        return []
    history = _child_history(child)
    entries = []
    for discussion in history["discussions"]:
        entries.append(
            TimelineEntry(
                when=discussion.held_on,
                kind="cp",
                title="Strategy discussion"
                + (": section 47 enquiries started" if discussion.s47_started else ""),
            )
        )
    held = [c for c in history["conferences"] if c.status == ConferenceStatus.HELD]
    for conference in sorted(held, key=lambda c: (c.due, c.pk)):
        entries.append(
            TimelineEntry(
                when=conference.held_on,
                kind="cp",
                title=f"{conference.short_kind} held",
                detail=conference.get_outcome_display(),
                url=_url("protection:conference_detail", conference.pk),
            )
        )
    for plan in history["plans"]:
        url = _url("protection:plan_detail", plan.pk)
        entries.append(
            TimelineEntry(
                when=plan.start,
                kind="cp",
                title="Child protection plan started",
                detail=plan.get_initial_category_display(),
                url=url,
            )
        )
        if plan.end:
            entries.append(
                TimelineEntry(
                    when=plan.end,
                    kind="cp",
                    title="Child protection plan ended",
                    detail=plan.get_end_reason_display(),
                    url=url,
                )
            )
    return entries


def iro_home_panel(request):
    from protection.selectors import conferences_by_id, my_conference_ids

    ids = my_conference_ids(user=request.user)
    conferences = list(conferences_by_id(ids[:5]))
    total = len(ids)
    return Panel(
        template="protection/includes/home_panel.html",
        context={"conferences": conferences, "total": total, "today": timezone.localdate()},
        order=30,
    )


def register() -> None:
    from iro.meetings import reallocation_hooks
    from iro.models import AllocationRole, MeetingKind
    from protection import reminders
    from protection.selectors import cp_plan_child_ids
    from protection.synthetic import generate

    reminders.register()
    # A reallocation of the CP chair carries the child's booked conferences to the new IRO.
    listed, move = reallocation_hooks(
        kinds=[MeetingKind.ICPC, MeetingKind.RCPC, MeetingKind.TRANSFER_IN], role=AllocationRole.CP
    )
    registry.add("meetings_to_move", listed)
    registry.add("meetings_on_reallocation", move)
    registry.add("cp_plan_child_ids", cp_plan_child_ids)
    registry.add("meeting_details", meeting_details)
    registry.add("child_sections", child_section)
    registry.add("timeline", timeline)
    registry.add("home_panels", iro_home_panel, role=Role.IRO)
    registry.add(
        "nav",
        NavItem(
            "My conferences",
            "protection:my_conferences",
            lambda user: user.has_role(Role.IRO),
            order=40,
            active_prefix="/protection/my-conferences/",
        ),
    )
    registry.add(
        "nav",
        NavItem(
            "CP plans",
            "protection:plan_list",
            lambda user: user.has_role(Role.TEAM_MANAGER, Role.PERFORMANCE_OFFICER),
            order=45,
            active_prefix="/protection/plans/",
        ),
    )
    registry.add("synthetic_data", ("protection", generate))
