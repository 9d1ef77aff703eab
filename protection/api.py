"""API for strategy discussions, conferences and plans. Same rules as the pages: services validate;
their ValidationError becomes 400 with field errors. Every queryset is scoped by
iro.access.children_visible_to, so a record outside the user's reach answers 404.
"""

from datetime import date

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from iro import access, concurrency
from iro.access import children_visible_to
from iro.api_schema import SchemaTruthfulModelSerializer
from iro.codes import CategoryOfAbuse
from iro.models import User, VenueType
from iro.validators import TEXT_MAX_LENGTH
from protection import selectors, services
from protection.models import (
    ChildViews,
    Conference,
    ConferenceOutcome,
    DelayReason,
    PlanEndReason,
    ProtectionPlan,
    StrategyDiscussion,
)


def _perm_class(view_perm: str, write_perm: str) -> type[BasePermission]:
    class _Perm(BasePermission):
        message = "Your role does not include this."

        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated):
                return False
            return user.has_perm(view_perm if request.method in SAFE_METHODS else write_perm)

    return _Perm


def _call(service, *, guard=None, **kwargs):
    """Run a service (under the version check of iro.concurrency when `guard` is (model, pk,
    version)); a ValidationError becomes a 400 with field errors, a stale version a 409."""
    try:
        if guard is None:
            return service(**kwargs)
        with concurrency.guard(*guard):
            return service(**kwargs)
    except DjangoValidationError as error:
        raise concurrency.api_error(error) from None


class _VisibleChildField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return children_visible_to(self.context["request"].user)


class StrategyDiscussionSerializer(SchemaTruthfulModelSerializer):
    child = _VisibleChildField()
    icpc = serializers.SerializerMethodField()

    class Meta:
        model = StrategyDiscussion
        fields = ["id", "child", "held_on", "s47_started", "s47_started_on", "notes", "icpc"]

    def get_icpc(self, obj) -> int | None:
        icpcs = [c.pk for c in obj.conferences.all()]
        return icpcs[0] if icpcs else None

    def validate(self, attrs):
        # The model's own checks run in the service, with clearer messages.
        return attrs


class StrategyDiscussionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StrategyDiscussionSerializer
    permission_classes = [
        _perm_class("protection.view_strategydiscussion", "protection.add_strategydiscussion")
    ]

    def get_queryset(self):
        return (
            StrategyDiscussion.objects.filter(child__in=children_visible_to(self.request.user))
            .prefetch_related("conferences")
            .order_by("-held_on", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _call(
            services.strategy_discussion_record,
            child=data["child"],
            held_on=data["held_on"],
            s47_started=data.get("s47_started", False),
            s47_started_on=data.get("s47_started_on"),
            notes=data.get("notes", ""),
            recorded_by=self.request.user,
        )


class MeetingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    chair = serializers.IntegerField(source="chair_id")
    status = serializers.CharField()


class ConferenceSerializer(SchemaTruthfulModelSerializer):
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "version",
            "kind",
            "child",
            "status",
            "due",
            "due_dfe",
            "notified_on",
            "strategy_discussion",
            "plan",
            "meeting",
            "reason_after_due",
            "held_on",
            "outcome",
            "category",
            "parents_invited",
            "parents_attended",
            "child_attended",
            "child_views",
            "delay_reason",
            "professionals_attended",
            "reports_shared_in_advance",
            "decisions",
            "cancel_reason",
        ]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    chair = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    starts_at = serializers.DateTimeField()
    venue_type = serializers.ChoiceField(choices=VenueType.choices)
    venue_detail = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    reason_after_due = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )
    siblings = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    agreed_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True
    )
    reason_after_due = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class OutcomeSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ConferenceOutcome.choices)
    category = serializers.ChoiceField(
        choices=CategoryOfAbuse.choices, required=False, allow_blank=True, default=""
    )
    parents_invited = serializers.BooleanField(required=False, allow_null=True, default=None)
    parents_attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    child_attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    child_views = serializers.ChoiceField(
        choices=ChildViews.choices, required=False, allow_blank=True, default=""
    )
    delay_reason = serializers.ChoiceField(
        choices=DelayReason.choices, required=False, allow_blank=True, default=""
    )
    professionals_attended = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, default=None
    )
    reports_shared_in_advance = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    decisions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class ConferenceFilter(django_filters.FilterSet):
    child = django_filters.ModelChoiceFilter(queryset=access.child_choices)
    due_from = django_filters.DateFilter(field_name="due", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due", lookup_expr="lte")

    class Meta:
        model = Conference
        fields = ["kind", "status", "child"]


class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Conferences; actions book, reschedule, record_outcome and cancel."""

    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilter
    permission_classes = [_perm_class("protection.view_conference", "protection.change_conference")]

    def get_queryset(self):
        return selectors.conferences_for(self.request.user).order_by("due", "pk")

    def _run(self, serializer_class, service, **extra):
        conference = self.get_object()
        payload = serializer_class(data=self.request.data, context={"request": self.request})
        payload.is_valid(raise_exception=True)
        _call(
            service,
            guard=(Conference, conference.pk, concurrency.version_from_request(self.request)),
            conference=conference,
            **payload.validated_data,
            **extra,
        )
        conference.refresh_from_db()
        return Response(ConferenceSerializer(conference).data)

    @extend_schema(request=BookSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"], serializer_class=BookSerializer)
    def book(self, request, pk=None):
        conference = self.get_object()
        payload = BookSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        sibling_ids = data.pop("siblings")
        siblings = list(self.get_queryset().filter(pk__in=sibling_ids).exclude(pk=conference.pk))
        if len(siblings) != len(set(sibling_ids) - {conference.pk}):
            raise serializers.ValidationError({"siblings": "Unknown conference."})
        _call(
            services.conference_book,
            conferences=[conference, *siblings],
            booked_by=request.user,
            **data,
        )
        conference.refresh_from_db()
        return Response(ConferenceSerializer(conference).data)

    @extend_schema(request=RescheduleSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"], serializer_class=RescheduleSerializer)
    def reschedule(self, request, pk=None):
        return self._run(
            RescheduleSerializer, services.conference_reschedule, changed_by=request.user
        )

    @extend_schema(request=OutcomeSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"], serializer_class=OutcomeSerializer)
    def record_outcome(self, request, pk=None):
        return self._run(
            OutcomeSerializer, services.conference_record_outcome, recorded_by=request.user
        )

    @extend_schema(request=CancelSerializer, responses=ConferenceSerializer)
    @action(detail=True, methods=["post"], serializer_class=CancelSerializer)
    def cancel(self, request, pk=None):
        return self._run(CancelSerializer, services.conference_cancel, changed_by=request.user)


class ProtectionPlanSerializer(SchemaTruthfulModelSerializer):
    months_on_plan = serializers.IntegerField(read_only=True)
    previous_plans_from_history = serializers.IntegerField(read_only=True)
    repeat_within_two_years = serializers.BooleanField(read_only=True)
    next_review_due = serializers.DateField(read_only=True, allow_null=True)
    # Plain strings in the schema: the same code lists are enums on the conference and end action.
    initial_category = serializers.CharField(read_only=True, help_text="Category of abuse code")
    latest_category = serializers.CharField(read_only=True, help_text="Category of abuse code")
    end_reason = serializers.CharField(read_only=True, help_text="Why the plan ended (code)")

    class Meta:
        model = ProtectionPlan
        fields = [
            "id",
            "version",
            "child",
            "start",
            "end",
            "end_reason",
            "initial_category",
            "latest_category",
            "previous_plans",
            "previous_plans_from_history",
            "repeat_within_two_years",
            "months_on_plan",
            "chair",
            "first_core_group_due",
            "next_review_due",
        ]
        read_only_fields = fields


class PlanEndSerializer(serializers.Serializer):
    end = serializers.DateField()
    reason = serializers.ChoiceField(choices=PlanEndReason.choices)


class ProtectionPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans open on `on` (default today); `min_months` (15, 24), `subsequent` (ever, 2y),
    `include_ended=true` for every plan. Action `end`."""

    serializer_class = ProtectionPlanSerializer
    permission_classes = [
        _perm_class("protection.view_protectionplan", "protection.change_protectionplan")
    ]

    def get_queryset(self):
        params = self.request.query_params
        try:
            on = date.fromisoformat(params["on"]) if params.get("on") else timezone.localdate()
            min_months = int(params["min_months"]) if params.get("min_months") else None
        except ValueError:
            raise serializers.ValidationError(
                {"on": "Use YYYY-MM-DD.", "min_months": "Use a whole number."}
            ) from None
        include_ended = params.get("include_ended") == "true" or self.action != "list"
        return selectors.plan_list(
            user=self.request.user,
            on=on,
            min_months=min_months,
            subsequent=params.get("subsequent", ""),
            include_ended=include_ended,
        )

    @extend_schema(request=PlanEndSerializer, responses=ProtectionPlanSerializer)
    @action(detail=True, methods=["post"], serializer_class=PlanEndSerializer)
    def end(self, request, pk=None):
        plan = self.get_object()
        payload = PlanEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        _call(
            services.plan_end,
            guard=(ProtectionPlan, plan.pk, concurrency.version_from_request(request)),
            plan=plan,
            ended_by=request.user,
            **payload.validated_data,
        )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(ProtectionPlanSerializer(plan).data)
