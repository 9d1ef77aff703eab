"""Small registries through which the feature apps plug into the case core.

`iro` imports none of the feature apps; each fills these in its AppConfig.ready() through
`registry.add(hook, item)`, which ignores a second registration of the same thing. Every hook is a
plain callable so the core stays unaware of what is behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class NavItem:
    """An entry in the primary navigation, shown when `visible(user)` is true."""

    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    active_prefix: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    """One line on a child's record timeline."""

    when: date | datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class Panel:
    """A block of a page (home page or child record) rendered from a template and context."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def read_once_for_record(child, name: str, read: Callable[[], Any]) -> Any:
    """What `read()` returns, read once per child record page and kept on its `child` object.

    The record view passes the same child object to every `child_sections` and `timeline`
    provider, so an app whose section and timeline entries show the same rows reads them once.
    `name` must say everything the rows depend on besides the child (the user, if any)."""
    key = f"_record_{name}"
    if key not in child.__dict__:
        child.__dict__[key] = read()
    return child.__dict__[key]


@dataclass(frozen=True)
class MeetingDetail:
    """What a feature app says about one of its meetings on the schedule and calendar feed.

    `flags` are short warnings such as "Report not received" or "At risk of going out of
    timescale"; `url` links to the review or conference; `due` is its statutory due date.
    """

    label: str
    url: str = ""
    due: date | None = None
    flags: tuple[str, ...] = ()


def _new_diary():
    from iro.synthetic.diary import Diary  # the synthetic package loads models: not at import

    return Diary()


@dataclass
class SyntheticContext:
    """What each app's synthetic-data generator receives from `manage.py generate_data`.

    `scale` is "small", "la" or "national"; `params` holds that scale's numbers (see
    iro/synthetic/mixes.py: SCALES); `rng` is seeded so a run is reproducible; `log` prints progress;
    every generator books meetings through the one `diary`, so no chair is ever double-booked.
    """

    scale: str
    params: dict
    rng: Any
    today: date
    log: Callable[[str], None]
    diary: Any = field(default_factory=_new_diary)


@dataclass(frozen=True)
class Reminder:
    """Something a rule or an event says one user should be told about one record.

    `due_date` with the kind, record and recipient identifies a reminder: it is sent at most once
    (None for events, which happen once). The text names a child only when the recipient may see
    every child in `child_ids` (iro.access decides): `text` then, `text_anonymous` otherwise
    (the record type and date, never a name or LA id).
    """

    kind: str
    recipient_id: int
    object_type: str
    object_id: int
    due_date: date | None
    text: str
    text_anonymous: str
    url: str = ""
    child_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MeetingMove:
    """A booked meeting of a child that a reallocation moves (or would move) to the new IRO."""

    meeting_id: int
    label: str  # "CLA review", "RCPC"
    starts_at: datetime
    url: str = ""


@dataclass(frozen=True)
class FollowUp:
    """A next step offered on an outcome form: a second button, `label`, that saves the outcome
    and then goes to `url` (letters: write the record to the child)."""

    label: str
    url: str


@dataclass(frozen=True)
class ReminderRule:
    """A function that finds what is due on `today` and returns the reminders to send.

    `schedule` is "daily" or "hourly" (config/settings: CELERY_BEAT_SCHEDULE runs each set).
    `kinds` are the kinds of notification the rule makes: after each run, a notification of one of
    those kinds that the rule no longer finds (same kind, record, due date and recipient) is
    resolved, since its condition is gone (the review was booked, the IRP answered). A rule with
    no `kinds` leaves its notifications for the user to mark as done.
    """

    name: str
    schedule: str
    find: Callable[[date], list[Reminder]]
    description: str = ""
    kinds: tuple[str, ...] = ()


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    # (child, user) -> list[TimelineEntry]
    timeline: list[Callable] = field(default_factory=list)
    # (request, child) -> Panel | None: sections of the child record page
    child_sections: list[Callable] = field(default_factory=list)
    # {role value: [(request) -> Panel | None]}: the blocks of each role's home page
    home_panels: dict[str, list[Callable]] = field(default_factory=dict)
    # (on_date) -> queryset of child ids (values_list("child_id")) on a CP plan that day
    cp_plan_child_ids: list[Callable] = field(default_factory=list)
    # (user) -> queryset of child ids the user may see because of that app's records
    extra_visible_child_ids: list[Callable] = field(default_factory=list)
    # (meetings: list[Meeting]) -> {meeting_id: MeetingDetail}: what the weekly schedule and the
    # calendar show for a meeting of that app's kind (reviews for CLA reviews, protection for
    # conferences). One call per page with all the meetings on it: keep it to a constant number
    # of queries.
    meeting_details: list[Callable] = field(default_factory=list)
    # (name, generator(ctx: SyntheticContext) -> None), run in registration order after the core
    synthetic_data: list[tuple[str, Callable]] = field(default_factory=list)
    # (sign_ins: {"iro": User, "manager": User, "head": User, ...}, today) -> None: run once by
    # seed_demo after the demo sign-ins exist, so each role has something current to look at
    demo_data: list[Callable] = field(default_factory=list)
    # Due-date reminder rules run by the worker (iro.notifications.runner)
    reminder_rules: list[ReminderRule] = field(default_factory=list)
    # {kind: label}: every kind of notification, offered on the email preferences page
    notification_kinds: dict[str, str] = field(default_factory=dict)
    # The kinds emailed to a user who has not chosen (no saved preferences): what a service sends
    # from day one (due soon and overdue, IRPs raised, escalated or due a response, allocations)
    email_default_kinds: set[str] = field(default_factory=set)
    # (child, role, iro, on) -> [MeetingMove]: the app's booked meetings of `child` chaired by
    # `iro` from the start of day `on` that a reallocation in `role` (AllocationRole) carries to
    # the new IRO (reviews for CLA, protection for CP). Listed on the reallocation confirm page.
    meetings_to_move: list[Callable] = field(default_factory=list)
    # (child, role, old_iro, new_iro, on, meeting_ids, by) -> [MeetingMove]: moves those meetings
    # to `new_iro` (all when meeting_ids is None, else only those listed); called by
    # iro.services.allocations in the reallocation's transaction
    meetings_on_reallocation: list[Callable] = field(default_factory=list)
    # (allocation, previous, by) -> None: called by iro.services.allocations.allocation_allocate
    # in its transaction once `allocation` is saved (`previous` is the allocation it replaced in
    # that role, None for a first allocation), e.g. the "my IRO" letter for the child (letters)
    allocation_made: list[Callable] = field(default_factory=list)
    # (record) -> FollowUp | None: next steps offered on a meeting's outcome form (`record` is the
    # review or conference whose outcome is being recorded), e.g. the record written to the child
    outcome_follow_ups: list[Callable] = field(default_factory=list)
    # (request, meeting, child) -> Panel | None: blocks shown on a review's or a conference's page
    # once its outcome is recorded (what follows the meeting, such as asking for feedback)
    outcome_panels: list[Callable] = field(default_factory=list)

    def panels_after_outcome(self, request, meeting, child) -> list[Panel]:
        """The `outcome_panels` for one child's meeting, in their order."""
        found = [p for p in (hook(request, meeting, child) for hook in self.outcome_panels) if p]
        return sorted(found, key=lambda panel: panel.order)

    def add(self, hook: str, item: Any, *, role: str | None = None) -> None:
        """Registers `item` on `hook` (one of the fields above), once: the one way apps plug in.

        Registering the same thing again is a no-op, so an AppConfig.ready() that runs twice (test
        runners, some servers) adds nothing. A navigation item is the same when it names the same
        URL, a reminder rule when it has the same name, anything else when it is equal (the same
        function, or the same (name, generator) pair). `home_panels` takes the `role` whose home
        page shows the panel; `notification_kinds` takes a {kind: label} dict, and
        `email_default_kinds` the kinds (already registered) emailed to a user who has not chosen.
        """
        if hook == "notification_kinds":
            self.notification_kinds.update(item)
            return
        if hook == "email_default_kinds":
            unknown = set(item) - set(self.notification_kinds)
            if unknown:
                raise ValueError(f"Email defaults name unknown kinds: {sorted(unknown)}")
            self.email_default_kinds.update(item)
            return
        if hook == "home_panels":
            if role is None:
                raise TypeError("home_panels: say which role's home page shows the panel")
            providers = self.home_panels.setdefault(str(role), [])
        elif role is not None:
            raise TypeError(f"{hook}: only home_panels are registered per role")
        else:
            providers = getattr(self, hook)
            if not isinstance(providers, list):
                raise TypeError(f"{hook} is not a registry hook")
        if any(_same(existing, item) for existing in providers):
            return
        providers.append(item)


def _same(existing: Any, item: Any) -> bool:
    if isinstance(item, NavItem) and isinstance(existing, NavItem):
        return existing.url_name == item.url_name
    if isinstance(item, ReminderRule) and isinstance(existing, ReminderRule):
        return existing.name == item.name
    # Hooks made afresh on each call (iro.meetings.reallocation_hooks) carry a key saying what
    # they are, so the same app's hook registered twice is still the same.
    key = getattr(item, "hook_key", None)
    if key is not None:
        return getattr(existing, "hook_key", None) == key
    return existing == item


registry = Registry()
