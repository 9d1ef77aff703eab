"""IRPs: list, read, raise, and the stage actions."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from escalations import selectors, services
from escalations.api.common import CategoryField, VisibleChildrenMixin, run_service
from escalations.models import (
    Concern,
    ConcernStatus,
    Escalation,
    EscalationChild,
    EscalationEvent,
    EscalationStage,
    EscalationState,
    OutcomeQuality,
    PracticeConcern,
    StageDefinition,
)
from escalations.presenters import hidden_label
from iro import concurrency
from iro.access import CHAIRED_WINDOW, children_visible_to, named_on_shared_record
from iro.api_schema import SchemaTruthfulModelSerializer
from iro.models import Child
from iro.permissions import HasRole
from iro.roles import RESPONDER_ROLES, Role
from iro.validators import TEXT_MAX_LENGTH


class EscalationChildSerializer(SchemaTruthfulModelSerializer):
    """A child's identity shows as iro.access.named_on_shared_record decides: to those who may
    open the child's record, and for the IRP's other children while the IRP is in its window
    (never a restricted child outside the reader's access)."""

    la_child_id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = EscalationChild
        fields = ["child", "la_child_id", "name", "plan_context"]

    def _visible_ids(self) -> set[int]:
        """The children the reader may see among those whose naming depends on it (restricted
        ones, and those in IRPs past their window), read once per request."""
        cache = self.context.setdefault("_children_visible", {})
        if "ids" not in cache:
            request = self.context.get("request")
            cutoff = timezone.localdate() - CHAIRED_WINDOW
            cache["ids"] = (
                set(
                    children_visible_to(request.user)
                    .filter(
                        Q(restricted=True) | Q(escalation_links__escalation__closed_on__lt=cutoff)
                    )
                    .values_list("pk", flat=True)
                )
                if request
                else set()
            )
        return cache["ids"]

    def _shown(self, link) -> bool:
        return named_on_shared_record(
            link.child, visible_ids=self._visible_ids(), closed_on=link.escalation.closed_on
        )

    def get_la_child_id(self, link) -> str:
        return link.child.la_child_id if self._shown(link) else ""

    def get_name(self, link) -> str:
        return link.child.full_name if self._shown(link) else hidden_label(link.child)


class EscalationStageSerializer(SchemaTruthfulModelSerializer):
    stage = serializers.IntegerField(source="definition.order")
    responder = serializers.StringRelatedField()
    responder_id = serializers.IntegerField()

    class Meta:
        model = EscalationStage
        fields = [
            "stage",
            "responder",
            "responder_id",
            "started_on",
            "response_deadline",
            "response",
            "responded_on",
            "proposes_resolution",
            "closed_on",
        ]


STATE_HELP = "One of: " + ", ".join(EscalationState.values)


class EscalationEventSerializer(SchemaTruthfulModelSerializer):
    actor = serializers.StringRelatedField()
    # Plain strings: one enum of IRP states in the schema, named by the IRP's own status field.
    from_state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    to_state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    stage = serializers.IntegerField(source="stage.order", allow_null=True)

    class Meta:
        model = EscalationEvent
        fields = ["action", "actor", "at", "on", "from_state", "to_state", "stage", "note"]


class EscalationSerializer(SchemaTruthfulModelSerializer):
    children = EscalationChildSerializer(source="child_links", many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATE_HELP)
    category = CategoryField(read_only=True)
    raised_by = serializers.StringRelatedField()
    current_stage = serializers.IntegerField(source="current_stage.order", read_only=True)
    stages = EscalationStageSerializer(many=True, read_only=True)
    events = EscalationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "version",
            "children",
            "raised_by",
            "source_concern",
            "category",
            "practice_subcategory",
            "summary",
            "outcome_sought",
            "status",
            "current_stage",
            "raised_on",
            "process_deadline",
            "resolved_on",
            "outcome_quality",
            "resolution_note",
            "cafcass_referred",
            "cafcass_referred_on",
            "stages",
            "events",
        ]
        read_only_fields = fields


class StageField(serializers.SlugRelatedField):
    """A stage of the ladder by its order (1-4 by default)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="order", queryset=StageDefinition.objects.none(), **kwargs)

    def get_queryset(self):
        return selectors.active_stages()


@extend_schema_field(OpenApiTypes.INT)
class ResponderField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.responders()


class EscalationRaiseSerializer(VisibleChildrenMixin, serializers.Serializer):
    children = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Child.objects.none(), allow_empty=False
    )
    category = CategoryField()
    practice_subcategory = serializers.ChoiceField(
        choices=PracticeConcern.choices, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    outcome_sought = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    stage = StageField()
    responder = ResponderField()
    raised_on = serializers.DateField(required=False)
    source_concern = serializers.PrimaryKeyRelatedField(
        queryset=Concern.objects.none(), required=False, allow_null=True
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["children"].child_relation.queryset = self.visible_children()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["source_concern"].queryset = Concern.objects.filter(
                raised_by=request.user, status=ConcernStatus.OPEN
            )
        return fields


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    resolved = serializers.BooleanField(default=False)


class EscalateSerializer(serializers.Serializer):
    stage = StageField()
    responder = ResponderField()
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class ResolveSerializer(serializers.Serializer):
    outcome_quality = serializers.ChoiceField(choices=[c for c in OutcomeQuality.values if c])
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class EscalationFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=EscalationState.choices)
    stage = filters.NumberFilter(field_name="current_stage__order")
    raised_on_after = filters.DateFilter(field_name="raised_on", lookup_expr="gte")
    raised_on_before = filters.DateFilter(field_name="raised_on", lookup_expr="lte")

    class Meta:
        model = Escalation
        fields = ["status", "category", "stage"]


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """IRPs the user may see. POST to create (IROs); stage actions as POST sub-resources."""

    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    permission_classes = [HasRole(Role.IRO, Role.TEAM_MANAGER, *RESPONDER_ROLES)]
    iro_actions = {"create", "escalate", "resolve", "refer_cafcass", "withdraw"}

    def get_queryset(self):
        return (
            selectors.escalations_visible_to(self.request.user)
            .select_related("raised_by", "current_stage")
            .prefetch_related(
                Prefetch("child_links", queryset=EscalationChild.objects.select_related("child")),
                Prefetch(
                    "stages",
                    queryset=EscalationStage.objects.select_related(
                        "definition", "responder"
                    ).order_by("definition__order"),
                ),
                Prefetch(
                    "events",
                    queryset=EscalationEvent.objects.select_related("actor", "stage").order_by(
                        "at", "pk"
                    ),
                ),
            )
            .order_by("-raised_on", "-pk")
        )

    def get_permissions(self):
        if self.action in self.iro_actions:
            return [HasRole(Role.IRO)()]
        if self.action == "respond":
            return [HasRole(*RESPONDER_ROLES)()]
        return super().get_permissions()

    def _answer(self, escalation, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=escalation.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=EscalationRaiseSerializer, responses={201: EscalationSerializer})
    def create(self, request):
        body = EscalationRaiseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        concern = data.pop("source_concern", None)
        if concern is not None:
            data.pop("category")
            data.pop("practice_subcategory")
            escalation = run_service(
                lambda: services.concern_escalate(concern=concern, user=request.user, **data)
            )
        else:
            escalation = run_service(
                lambda: services.escalation_raise(raised_by=request.user, **data)
            )
        return self._answer(escalation, status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, call):
        escalation = self.get_object()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            run_service(
                lambda: call(escalation, body.validated_data),
                guard=(Escalation, escalation.pk, concurrency.version_from_request(request)),
            )
        )

    @extend_schema(request=RespondSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._act(
            request,
            RespondSerializer,
            lambda e, d: services.escalation_respond(escalation=e, responder=request.user, **d),
        )

    @extend_schema(request=EscalateSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._act(
            request,
            EscalateSerializer,
            lambda e, d: services.escalation_escalate(escalation=e, user=request.user, **d),
        )

    @extend_schema(request=ResolveSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(
            request,
            ResolveSerializer,
            lambda e, d: services.escalation_resolve(escalation=e, user=request.user, **d),
        )

    @extend_schema(request=NoteSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"], url_path="refer-cafcass")
    def refer_cafcass(self, request, pk=None):
        return self._act(
            request,
            NoteSerializer,
            lambda e, d: services.escalation_refer_cafcass(escalation=e, user=request.user, **d),
        )

    @extend_schema(request=NoteSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(
            request,
            NoteSerializer,
            lambda e, d: services.escalation_withdraw(escalation=e, user=request.user, **d),
        )
