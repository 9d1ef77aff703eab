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
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from iro.models import Allocation, Child, Meeting
from iro.registry import registry

# How long chairing a child's meeting keeps the child visible to an IRO not allocated to them.
CHAIRED_WINDOW = timedelta(days=365)


def children_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Child.objects.all() if queryset is None else queryset
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
