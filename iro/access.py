"""One place decides which children a user may see. Every list and detail view goes through it.

- Team managers (view_all_children + view_restricted_children): every child.
- Performance officers (view_all_children): every child who is not restricted.
- IROs: children with an open allocation to them, or in a meeting they chair or chaired in the
  last 12 months (e.g. a sibling conferenced with a child of theirs).
- Escalation responders and others: children that feature apps make visible to them
  (registry.extra_visible_child_ids), e.g. the children in escalations addressed to them.
- Restricted children: only their allocated IRO and those with view_restricted_children.
- Board members and administrators: no child records.
Outside this set a record answers 404, so its existence is not revealed.

A record about several children (an IRP about siblings) that a user may open names its other
children only while it is open and for CHAIRED_WINDOW after it closes, as chairing a meeting
does, and never a restricted child the user may not see (`named_on_shared_record`).

Heads of service read every figure, but a figure's lists name only the children in their own set
(those in the IRPs addressed to them): a child outside the set still counts in every figure and
appears as a line such as "1 record outside your access" (`split_visible`, used by every report,
panel list and export), or in a figure's drill-down as a row that reads "Restricted record" in
place of the child's name and LA id (`child_names`).
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from iro.models import Allocation, Child, Meeting
from iro.registry import registry
from iro.request_memo import memoised

# How long chairing a child's meeting keeps the child visible to an IRO not allocated to them.
CHAIRED_WINDOW = timedelta(days=365)


def children_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The children `user` may see (of `queryset`, or of all children). The set over all
    children is built once per request (iro.request_memo: a page's panels, lists and checks each
    ask) and each caller gets its own copy to filter; it is a query, not a list, so it is read
    when the caller reads it and never outlives the request."""
    if queryset is None:
        if user.pk is None or not user.is_authenticated:
            return _visible(user, Child.objects.all())
        # Keyed by the user object too: another copy of the user (with permissions read afresh)
        # gets its own set.
        return memoised(
            ("children_visible_to", user.pk, id(user)),
            lambda: _visible(user, Child.objects.all()),
        ).all()
    return _visible(user, queryset)


def _visible(user, qs: QuerySet) -> QuerySet:
    if not user.is_authenticated or not user.has_perm("iro.view_child"):
        return qs.none()
    allocated = Allocation.objects.filter(child=OuterRef("pk"), iro=user, end__isnull=True)
    if user.has_perm("iro.view_all_children"):
        if user.has_perm("iro.view_restricted_children"):
            return qs
        return qs.filter(Q(restricted=False) | Exists(allocated))
    chaired = Meeting.objects.filter(
        children=OuterRef("pk"), chair=user, starts_at__gte=timezone.now() - CHAIRED_WINDOW
    )
    own = Q(Exists(allocated)) | (Q(restricted=False) & Q(Exists(chaired)))
    for provider in registry.extra_visible_child_ids:
        own |= Q(restricted=False) & Q(pk__in=provider(user))
    return qs.filter(own)


def _key_of(item):
    """An item's child key: a Child's primary key, or the item itself (a key already)."""
    return item.pk if isinstance(item, Child) else item


def split_visible(user, items, *, child=_key_of, by: str = "pk") -> tuple[list, int]:
    """The items that name a child `user` may see, in their order, and how many others there are.

    The one decision for every list of children in a report, drill-down, panel list or export:
    the hidden items still count (the caller shows their number, `hidden_records_text`), but
    their identity is never shown. `child(item)` gives the child's key (its `by` field: the
    primary key, or `la_child_id` for a computed table; by default the items are children or
    their keys); an item whose key is None names no child and is kept. One query, whatever the
    number of items."""
    items = list(items)
    keys = {key for key in map(child, items) if key is not None}
    seen = (
        set(children_visible_to(user).filter(**{f"{by}__in": keys}).values_list(by, flat=True))
        if keys
        else set()
    )
    shown = [item for item in items if child(item) is None or child(item) in seen]
    return shown, len(items) - len(shown)


RESTRICTED_RECORD = "Restricted record"


def child_names(user, keys) -> dict[int, str]:
    """How a list names each child of `keys` (primary keys) to `user`: "First Last (LA id)" for
    a child the user may see; a child outside their access set has no entry and is shown as
    RESTRICTED_RECORD, its row still listed (it counts) but naming no one. One query."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    return {
        pk: f"{first} {last} ({la_id})"
        for pk, first, last, la_id in children_visible_to(user)
        .filter(pk__in=keys)
        .values_list("pk", "first_name", "last_name", "la_child_id")
    }


def hidden_records_text(count: int) -> str:
    """The line shown in place of the records a reader may not see ("" for none)."""
    if not count:
        return ""
    return f"{count:,} record{'s' if count != 1 else ''} outside your access"


def shared_record_in_window(closed_on: date | None) -> bool:
    """A record about several children is still open, or closed within CHAIRED_WINDOW."""
    return closed_on is None or closed_on >= timezone.localdate() - CHAIRED_WINDOW


def named_on_shared_record(child: Child, *, visible_ids: set[int], closed_on: date | None) -> bool:
    """Whether a record about several children that the user may open (an IRP about siblings)
    shows `child`'s identity to them: always for a child the user may see (`visible_ids`, from
    children_visible_to); for the record's other children only while it is in its window
    (shared_record_in_window), and never for a restricted one. Visibility that comes from the
    record ends with it: an IRO who keeps an old IRP in sight through their own child does not
    keep its sibling."""
    if child.pk in visible_ids:
        return True
    return not child.restricted and shared_record_in_window(closed_on)


def get_visible_child_or_404(user, queryset: QuerySet | None = None, **lookup) -> Child:
    try:
        return children_visible_to(user, queryset).get(**lookup)
    except Child.DoesNotExist:
        raise Http404("No child found") from None


def can_see_child(user, child: Child) -> bool:
    return children_visible_to(user).filter(pk=child.pk).exists()


# --- Choices in forms and API filters -----------------------------------------------------------
# A choice list is a list of records: a filter form or a browsable-API form that offers a child,
# a sibling group or a person offers only those the requesting user may see. An id outside the
# list is refused with the same message whether it exists or not (no existence oracle).


def _request_user(request):
    return getattr(request, "user", None)


def child_choices(request) -> QuerySet:
    """Children a filter or form may offer: those visible to the requesting user.

    A callable for django-filter's ModelChoiceFilter(queryset=...), which passes the request
    (None when the schema is generated: then no child)."""
    user = _request_user(request)
    if user is None:
        return Child.objects.none()
    return children_visible_to(user).order_by("last_name", "first_name", "pk")


def sibling_group_choices(request) -> QuerySet:
    """Sibling groups with at least one child the requesting user may see."""
    from iro.models import SiblingGroup

    user = _request_user(request)
    if user is None:
        return SiblingGroup.objects.none()
    return SiblingGroup.objects.filter(
        pk__in=children_visible_to(user)
        .filter(sibling_group__isnull=False)
        .values("sibling_group_id")
    ).order_by("name", "pk")


def iro_choices(request) -> QuerySet:
    """People a filter or form may offer as an IRO: active members of the IRO role, and only to
    users who may see children at all."""
    from iro.models import User
    from iro.roles import Role, group_name

    user = _request_user(request)
    if user is None or not user.is_authenticated or not user.has_perm("iro.view_child"):
        return User.objects.none()
    return User.objects.filter(is_active=True, groups__name=group_name(Role.IRO)).order_by(
        "last_name", "first_name", "pk"
    )


def chairs_overseen_by(user) -> QuerySet:
    """The chairs whose meetings `user` answers for: an IRO their own; a team manager every
    member of the teams they manage (or of their own team) and themselves; anyone else nobody.

    What is said about a meeting to its chair (feedback from the child and family, issue 31) is
    read by the chair and their manager only, whichever children the reader may otherwise see."""
    from iro.models import User
    from iro.roles import Role

    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.has_role(Role.TEAM_MANAGER):
        from iro.teams import managed_team_ids

        teams = managed_team_ids(user) or ([user.team_id] if user.team_id else [])
        return User.objects.filter(Q(team_id__in=teams) | Q(pk=user.pk))
    if user.has_role(Role.IRO):
        return User.objects.filter(pk=user.pk)
    return User.objects.none()
