"""The reviews API: list and detail with filters, and the actions book, reschedule, cancel and
record_outcome. The actions validate with the same forms as the pages (so the same messages), then
call the same services; any error answers 400 with field errors.

Action fields are the form fields; dates are ISO (YYYY-MM-DD), yes/no fields take true/false.
"""

from datetime import date

import django_filters
from crispy_forms_gds.fields import DateInputField
from django import forms as django_forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from iro import concurrency
from iro.api_schema import SchemaTruthfulModelSerializer
from iro.form_errors import apply_errors
from iro.models import ServiceSettings
from iro.rules import booking_deadline
from reviews import forms, selectors, services
from reviews.models import Review, ReviewSequence, ReviewStatus
from reviews.views.reviews import outcome_kwargs


class ReviewPermission(BasePermission):
    """Reading needs reviews.view_review; the actions need reviews.change_review."""

    message = "Your role does not include this."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.has_perm("reviews.view_review")):
            return False
        if view.action in ("list", "retrieve"):
            return True
        return user.has_perm("reviews.change_review")


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    chair = serializers.IntegerField(source="chair_id")
    chair_name = serializers.CharField(source="chair.get_full_name")
    venue_type = serializers.CharField()
    status = serializers.CharField()


class ReviewSerializer(SchemaTruthfulModelSerializer):
    la_child_id = serializers.CharField(source="child.la_child_id", read_only=True)
    meeting = MeetingSerializer(read_only=True)
    in_timescale = serializers.BooleanField(read_only=True, allow_null=True)
    booking_deadline = serializers.SerializerMethodField()
    # Plain text, not an enum: the same venue choices appear on meetings (one enum name each).
    actual_venue = serializers.CharField(read_only=True, help_text="Venue type code")

    class Meta:
        model = Review
        fields = [
            "id", "version", "child", "la_child_id", "sequence", "status", "period_start", "due_date",
            "booking_deadline", "meeting", "booked_on", "late_booking", "late_reason",
            "sw_report_received_on", "child_seen_before", "parents_invited", "held_on",
            "in_timescale", "participation", "child_attended", "parents_attended",
            "professionals_attended", "actual_venue", "permanence_plan_type", "permanence_track",
            "childs_views_considered", "mode", "non_attendance_reason", "safeguarding_issue",
            "safeguarding_types", "manager_informed_on", "record_completed_on",
            "record_distributed_on", "cancellation_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_booking_deadline(self, review) -> date:
        lead = self.context.get("lead", 10)
        return booking_deadline(review.due_date, lead)


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    sequence = django_filters.ChoiceFilter(choices=ReviewSequence.choices)
    la_child_id = django_filters.CharFilter(field_name="child__la_child_id")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    chair = django_filters.NumberFilter(field_name="meeting__chair")

    class Meta:
        model = Review
        fields = ["status", "sequence", "la_child_id", "due_after", "due_before", "chair"]


def form_data(form_class, data) -> dict:
    """API input to the form's own shape: ISO dates into day/month/year boxes, booleans to yes/no."""
    out = {}
    for name, field in form_class.base_fields.items():
        if name not in data:
            if field.initial is not None:
                out[name] = field.initial  # e.g. the default length of a meeting
            continue
        value = data[name]
        if isinstance(field, DateInputField):
            try:
                parsed = date.fromisoformat(str(value)) if value not in (None, "") else None
            except ValueError:
                out[f"{name}_0"], out[f"{name}_1"], out[f"{name}_2"] = "x", "x", "x"
                continue
            if parsed is not None:
                out[f"{name}_0"], out[f"{name}_1"], out[f"{name}_2"] = (
                    parsed.day,
                    parsed.month,
                    parsed.year,
                )
        elif isinstance(field, django_forms.TypedChoiceField) and field.choices == forms.YES_NO:
            out[name] = {True: "yes", False: "no"}.get(value, value)
        else:
            out[name] = "" if value is None else value
    return out


def form_errors(form) -> dict:
    return {
        ("non_field_errors" if key == "__all__" else key): list(messages)
        for key, messages in form.errors.items()
    }


def form_schema(form_class):
    """The request body of an action, for the API documentation, from the form's fields."""
    fields = {}
    for name, field in form_class.base_fields.items():
        options = {"required": field.required, "help_text": str(field.label or "")}
        if isinstance(field, DateInputField):
            fields[name] = serializers.DateField(**options)
        elif isinstance(field, django_forms.ModelChoiceField):
            fields[name] = serializers.IntegerField(**options)
        elif isinstance(field, django_forms.TypedChoiceField) and field.choices == forms.YES_NO:
            fields[name] = serializers.BooleanField(**options)
        elif isinstance(field, django_forms.MultipleChoiceField):
            values = ", ".join(str(value) for value, _label in field.choices)
            options["help_text"] += f" (a list of: {values})"
            fields[name] = serializers.ListField(child=serializers.CharField(), **options)
        elif isinstance(field, django_forms.ChoiceField):
            values = ", ".join(str(value) for value, _label in field.choices if value != "")
            options["help_text"] += f" (one of: {values})"
            fields[name] = serializers.CharField(**options)
        else:
            fields[name] = serializers.CharField(**options)
    return inline_serializer(name=form_class.__name__.replace("Form", "Request"), fields=fields)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer
    permission_classes = [ReviewPermission]
    filterset_class = ReviewFilter
    ordering_fields = ["due_date", "held_on", "id"]
    ordering = ["due_date", "id"]

    def get_queryset(self):
        return selectors.reviews_visible_to(self.request.user).order_by("due_date", "id")

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "lead": ServiceSettings.load().booking_lead_working_days,
        }

    def _run(self, form_class, call):
        review = self.get_object()
        form = form_class(data=form_data(form_class, self.request.data))
        if form.is_valid():
            version = form.cleaned_data.pop("version", None)
            if version is None:
                version = concurrency.version_from_request(self.request)
            try:
                with concurrency.guard(Review, review.pk, version):
                    call(review, form.cleaned_data)
            except concurrency.StaleRecord:
                raise concurrency.Conflict() from None
            except ValidationError as error:
                apply_errors(form, error, field_names=form.service_fields)
        if form.errors:
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        review.refresh_from_db()
        return Response(self.get_serializer(review).data)

    @extend_schema(request=form_schema(forms.BookForm), responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        def call(review, data):
            services.review_book(
                review=review, chair=data["chair"], starts_at=data["starts_at"],
                ends_at=data["ends_at"], venue_type=data["venue_type"],
                venue_detail=data["venue_detail"], late_reason=data["late_reason"],
                additional=data["additional"], booked_by=request.user,
            )  # fmt: skip

        return self._run(forms.BookForm, call)

    @extend_schema(request=form_schema(forms.RescheduleForm), responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        def call(review, data):
            services.review_reschedule(
                review=review, starts_at=data["starts_at"], ends_at=data["ends_at"],
                reason=data["reason"], agreed_by=data["agreed_by"], changed_by=request.user,
                venue_type=data["venue_type"], venue_detail=data["venue_detail"],
                late_reason=data["late_reason"],
            )  # fmt: skip

        return self._run(forms.RescheduleForm, call)

    @extend_schema(request=form_schema(forms.CancelForm), responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        def call(review, data):
            services.review_cancel(review=review, reason=data["reason"], changed_by=request.user)

        return self._run(forms.CancelForm, call)

    @extend_schema(request=form_schema(forms.OutcomeForm), responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def record_outcome(self, request, pk=None):
        def call(review, data):
            services.review_record_outcome(
                review=review, recorded_by=request.user, **outcome_kwargs(data)
            )

        return self._run(forms.OutcomeForm, call)
