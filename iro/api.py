"""API of the case core: children, care episodes, allocations, caseloads.

Every queryset is scoped by iro.access.children_visible_to (404 outside it); writes go through
the services, whose ValidationError becomes a 400 with field errors. Board members and
administrators get 403 everywhere here: they never see a child's identity.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from iro import access, concurrency
from iro.api_schema import SchemaTruthfulModelSerializer
from iro.codes import ReasonCeased
from iro.models import Allocation, AllocationRole, CareEpisode, Child
from iro.permissions import HasRole
from iro.roles import RESPONDER_ROLES, Role
from iro.selectors_caseload import caseload_rows
from iro.services import allocations as allocation_services
from iro.services import children as child_services
from iro.services import episodes as episode_services
from iro.validators import validate_la_child_id

CHILD_ROLES = HasRole(Role.IRO, Role.TEAM_MANAGER, *RESPONDER_ROLES, Role.PERFORMANCE_OFFICER)


def call_service(fn, **kwargs):
    """Run a service; its ValidationError becomes a 400 with field errors (409 when stale)."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as error:
        raise concurrency.api_error(error) from None


def require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("Your role does not include this.")


def visible_child(request, pk) -> Child:
    return access.get_visible_child_or_404(request.user, pk=pk)


# --- Children ---------------------------------------------------------------------------------


class ChildSerializer(SchemaTruthfulModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "version", *child_services.CHILD_FIELDS]
        read_only_fields = ["version"]
        # Uniqueness and the other model rules are checked by the service (400 either way); the
        # id's format is checked here with the other fields' (iro/validators.py).
        validators = []  # type: ignore[var-annotated]
        extra_kwargs = {"la_child_id": {"validators": [validate_la_child_id]}}

    def get_fields(self):
        fields = super().get_fields()
        # The browsable API's form offers only sibling groups of children the user may see.
        fields["sibling_group"].queryset = access.sibling_group_choices(self.context.get("request"))
        return fields


class ChildFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or child ID")
    iro = django_filters.NumberFilter(method="by_iro", label="IRO with an open allocation")
    sibling_group = django_filters.ModelChoiceFilter(queryset=access.sibling_group_choices)

    class Meta:
        model = Child
        fields = ["area", "sibling_group", "restricted", "sex", "ethnicity"]

    def search(self, queryset, name, value):
        from iro.selectors_children import child_list

        return child_list(queryset, today=timezone.localdate(), q=value)

    def by_iro(self, queryset, name, value):
        return queryset.filter(allocations__iro_id=value, allocations__end__isnull=True).distinct()


class ChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ChildSerializer
    permission_classes = [CHILD_ROLES]
    filterset_class = ChildFilter
    ordering_fields = ["last_name", "la_child_id", "date_of_birth"]

    def get_queryset(self):
        return access.children_visible_to(self.request.user).order_by(
            "last_name", "first_name", "pk"
        )

    def perform_create(self, serializer):
        require(self.request, "iro.add_child")
        serializer.instance = call_service(
            child_services.child_create, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        require(self.request, "iro.change_child")
        serializer.instance = call_service(
            child_services.child_update,
            child=serializer.instance,
            version=concurrency.version_from_request(self.request),
            **serializer.validated_data,
        )


# --- Episodes ---------------------------------------------------------------------------------


class EpisodeSerializer(SchemaTruthfulModelSerializer):
    class Meta:
        model = CareEpisode
        fields = ["id", "version", "child", *episode_services.EDITABLE_FIELDS]
        read_only_fields = ["id", "version", "child", "reason_new_episode"]


class CareStartSerializer(SchemaTruthfulModelSerializer):
    child = serializers.IntegerField()

    class Meta:
        model = CareEpisode
        fields = [
            "child",
            "start",
            "legal_status",
            "category_of_need",
            "placement_type",
            "placement_provider",
            "home_postcode",
            "placement_postcode",
            "placement_urn",
            "distance_miles",
            "placement_location",
        ]


class CareChangeSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    on = serializers.DateField()
    legal_status = serializers.CharField(required=False, allow_blank=True)
    placement_type = serializers.CharField(required=False, allow_blank=True)
    placement_provider = serializers.CharField(required=False, allow_blank=True)
    placement_postcode = serializers.CharField(required=False, allow_blank=True)
    placement_urn = serializers.CharField(required=False, allow_blank=True)
    home_postcode = serializers.CharField(required=False, allow_blank=True)
    distance_miles = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    placement_location = serializers.CharField(required=False, allow_blank=True)
    carer_changed = serializers.BooleanField(default=False)
    reason_place_change = serializers.CharField(required=False, allow_blank=True, default="")


class CareEndSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    on = serializers.DateField()
    reason_ceased = serializers.ChoiceField(
        choices=[c for c in ReasonCeased.choices if c[0] != "X1"]
    )


class EpisodeFilter(django_filters.FilterSet):
    child = django_filters.ModelChoiceFilter(queryset=access.child_choices)

    class Meta:
        model = CareEpisode
        fields = ["child", "legal_status", "placement_type", "reason_new_episode"]


class EpisodeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """POST creates a new period of care (care_start); `change/` and `end/` record the other
    steps; PATCH corrects an episode. All through the episode services."""

    serializer_class = EpisodeSerializer
    permission_classes = [CHILD_ROLES]
    filterset_class = EpisodeFilter

    def get_queryset(self):
        return CareEpisode.objects.filter(
            child__in=access.children_visible_to(self.request.user)
        ).order_by("child", "start", "id")

    def _write(self, request, serializer_class, service, status_code):
        require(request, "iro.add_careepisode")
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = visible_child(request, data.pop("child"))
        episode = call_service(service, child=child, **data)
        return Response(EpisodeSerializer(episode).data, status=status_code)

    @extend_schema(request=CareStartSerializer, responses={201: EpisodeSerializer})
    def create(self, request, *args, **kwargs):
        return self._write(request, CareStartSerializer, episode_services.care_start, 201)

    @extend_schema(request=CareChangeSerializer, responses={201: EpisodeSerializer})
    @action(detail=False, methods=["post"])
    def change(self, request):
        return self._write(request, CareChangeSerializer, self._change, 201)

    @staticmethod
    def _change(**kwargs):
        for name in ["legal_status", "placement_type"]:
            kwargs[name] = kwargs.get(name) or None
        return episode_services.care_change(**kwargs)

    @extend_schema(request=CareEndSerializer, responses={200: EpisodeSerializer})
    @action(detail=False, methods=["post"])
    def end(self, request):
        return self._write(request, CareEndSerializer, episode_services.care_end, 200)

    def perform_update(self, serializer):
        require(self.request, "iro.change_careepisode")
        serializer.instance = call_service(
            episode_services.episode_correct,
            episode=serializer.instance,
            version=concurrency.version_from_request(self.request),
            **serializer.validated_data,
        )


# --- Allocations ------------------------------------------------------------------------------


class AllocationSerializer(SchemaTruthfulModelSerializer):
    iro_name = serializers.CharField(source="iro.get_full_name", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "child", "iro", "iro_name", "role", "start", "end", "reason", "end_reason"]


@extend_schema_field(OpenApiTypes.INT)
class _IroField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return access.iro_choices(self.context.get("request"))


class AllocateSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    iro = _IroField()
    role = serializers.ChoiceField(choices=AllocationRole.choices)
    start = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AllocationFilter(django_filters.FilterSet):
    child = django_filters.ModelChoiceFilter(queryset=access.child_choices)
    iro = django_filters.ModelChoiceFilter(queryset=access.iro_choices)

    class Meta:
        model = Allocation
        fields = ["child", "iro", "role"]


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AllocationSerializer
    permission_classes = [CHILD_ROLES]
    filterset_class = AllocationFilter

    def get_queryset(self):
        qs = Allocation.objects.filter(
            child__in=access.children_visible_to(self.request.user)
        ).select_related("iro")
        if self.request.query_params.get("open") == "true":
            qs = qs.filter(end__isnull=True)
        return qs.order_by("child", "role", "-start")

    @extend_schema(request=AllocateSerializer, responses={201: AllocationSerializer})
    @action(detail=False, methods=["post"], serializer_class=AllocateSerializer)
    def allocate(self, request):
        """Allocate or reallocate an IRO (closes the open allocation in that role)."""
        require(request, "iro.manage_allocations")
        serializer = AllocateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = visible_child(request, data.pop("child"))
        allocation = call_service(
            allocation_services.allocation_allocate, child=child, by=request.user, **data
        )
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)


# --- Caseloads --------------------------------------------------------------------------------


class CaseloadSerializer(serializers.Serializer):
    iro = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="get_full_name")
    team = serializers.CharField(source="team.name", default="")
    fte = serializers.DecimalField(max_digits=3, decimal_places=2)
    cla = serializers.IntegerField()
    cp = serializers.IntegerField()
    dual = serializers.IntegerField()
    children = serializers.IntegerField()
    per_fte = serializers.FloatField(
        allow_null=True, help_text="Looked-after children per FTE on the day; null when not in post"
    )


class CaseloadViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    """Caseload per IRO today (team managers only); ?team=<id> for one team."""

    serializer_class = CaseloadSerializer
    permission_classes = [HasRole(Role.TEAM_MANAGER)]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        team = self.request.query_params.get("team")
        return caseload_rows(
            on=timezone.localdate(), team=int(team) if team and team.isdigit() else None
        )
