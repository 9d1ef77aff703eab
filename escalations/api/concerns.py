"""Concerns: list, read, record, resolve."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from escalations import selectors, services
from escalations.api.common import CategoryField, VisibleChildrenMixin, run_service
from escalations.models import (
    Concern,
    PracticeConcern,
)
from iro import access, concurrency
from iro.api_schema import SchemaTruthfulModelSerializer
from iro.models import Child
from iro.permissions import HasRole
from iro.roles import Role
from iro.validators import TEXT_MAX_LENGTH


class ConcernSerializer(VisibleChildrenMixin, SchemaTruthfulModelSerializer):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.none())
    raised_by = serializers.StringRelatedField()
    escalation = serializers.PrimaryKeyRelatedField(read_only=True)
    category = CategoryField()
    practice_subcategory = serializers.ChoiceField(
        choices=PracticeConcern.choices, required=False, allow_blank=True, default=""
    )
    raised_on = serializers.DateField(required=False)

    class Meta:
        model = Concern
        fields = [
            "id",
            "version",
            "child",
            "raised_by",
            "raised_on",
            "category",
            "practice_subcategory",
            "description",
            "raised_with",
            "status",
            "resolved_on",
            "outcome",
            "plan_context",
            "escalation",
        ]
        read_only_fields = ["version", "status", "resolved_on", "outcome", "plan_context"]

    def get_fields(self):
        fields = super().get_fields()
        fields["child"].queryset = self.visible_children()
        return fields


class ConcernResolveSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class ConcernFilter(filters.FilterSet):
    child = filters.ModelChoiceFilter(queryset=access.child_choices)
    raised_on_after = filters.DateFilter(field_name="raised_on", lookup_expr="gte")
    raised_on_before = filters.DateFilter(field_name="raised_on", lookup_expr="lte")

    class Meta:
        model = Concern
        fields = ["status", "category", "plan_context", "child"]


class ConcernViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ConcernSerializer
    filterset_class = ConcernFilter
    permission_classes = [HasRole(Role.IRO, Role.TEAM_MANAGER)]

    def get_queryset(self):
        return (
            selectors.concerns_visible_to(self.request.user)
            .select_related("raised_by", "escalation")
            .order_by("-raised_on", "-pk")
        )

    def get_permissions(self):
        if self.action in ("create", "resolve"):
            return [HasRole(Role.IRO)()]
        return super().get_permissions()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = run_service(
            lambda: services.concern_raise(raised_by=self.request.user, **data)
        )

    @extend_schema(request=ConcernResolveSerializer, responses=ConcernSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        concern = self.get_object()
        body = ConcernResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        concern = run_service(
            lambda: services.concern_resolve(
                concern=concern, user=request.user, outcome=body.validated_data["outcome"]
            ),
            guard=(Concern, concern.pk, concurrency.version_from_request(request)),
        )
        return Response(ConcernSerializer(concern, context=self.get_serializer_context()).data)
