"""Pages of concerns and IRPs. Thin: selectors read, services write, forms show errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from escalations import selectors, services
from escalations.forms import (
    ConcernForm,
    ConcernResolveForm,
    EscalateForm,
    EscalationForm,
    NoteForm,
    ResolveForm,
    RespondForm,
)
from escalations.models import Concern, Escalation, EscalationState
from escalations.presenters import escalation_rows, history_rows
from iro.access import children_visible_to
from iro.form_fields import form_status
from iro.form_submit import sent, submit
from iro.idempotency import already_done
from iro.models import Child
from iro.permissions import role_required
from iro.roles import RESPONDER_ROLES, Role

ANY_ESCALATION_ROLE = (Role.IRO, Role.TEAM_MANAGER, *RESPONDER_ROLES)


@require_safe
@role_required(*ANY_ESCALATION_ROLE)
def home(request):
    """Each role's escalations page."""
    user = request.user
    if user.has_role(Role.TEAM_MANAGER):
        return redirect("escalations:all")
    if user.has_role(Role.IRO):
        return redirect("escalations:mine")
    return redirect("escalations:queue")


@require_safe
@role_required(*RESPONDER_ROLES)
def queue(request):
    today = timezone.localdate()
    rows = escalation_rows(selectors.escalation_queue(request.user), today, request.user)
    return render(request, "escalations/queue.html", {"rows": rows, "today": today})


@require_safe
@role_required(Role.IRO)
def mine(request):
    today = timezone.localdate()
    return render(
        request,
        "escalations/mine.html",
        {
            "rows": escalation_rows(
                selectors.escalations_for_iro(request.user), today, request.user
            ),
            "concerns": selectors.concerns_for_iro(request.user),
        },
    )


@require_safe
@role_required(Role.TEAM_MANAGER, *RESPONDER_ROLES)
def all_open(request):
    today = timezone.localdate()
    open_irps = selectors.escalations_visible_to(request.user, selectors.open_escalations())
    rows = escalation_rows(open_irps, today, request.user)
    return render(request, "escalations/all.html", {"rows": rows})


# --- Concerns -------------------------------------------------------------------------------


@role_required(Role.IRO)
def concern_new(request):
    if repeat := already_done(request):
        return repeat
    children = children_visible_to(request.user)
    initial = {"raised_on": timezone.localdate(), "child": request.GET.get("child")}
    form = ConcernForm(sent(request), children=children, initial=initial)

    def create() -> str:
        data = form.cleaned_data
        concern = services.concern_raise(
            child=data["child"],
            raised_by=request.user,
            raised_on=data["raised_on"],
            category=data["category"],
            practice_subcategory=data["practice_subcategory"] or "",
            description=data["description"],
            raised_with=data["raised_with"],
        )
        messages.success(request, "Concern recorded")
        return reverse("escalations:concern", args=[concern.pk])

    if done := submit(request, form, create):
        return done
    return render(
        request, "escalations/concern_form.html", {"form": form}, status=form_status(form)
    )


def _visible_concern(request, pk: int) -> Concern:
    qs = selectors.concerns_visible_to(request.user).select_related("child", "raised_by")
    return get_object_or_404(qs, pk=pk)


@role_required(Role.IRO, Role.TEAM_MANAGER)
def concern_detail(request, pk: int):
    concern = _visible_concern(request, pk)
    can_act = concern.status == "open" and selectors.is_acting_iro(concern, request.user)
    form = (
        ConcernResolveForm(
            sent(request),
            initial={"version": concern.version},
        )
        if can_act
        else None
    )
    if request.method == "POST" and not can_act:
        raise PermissionDenied

    def save() -> str:
        services.concern_resolve(
            concern=concern, user=request.user, outcome=form.cleaned_data["outcome"]
        )
        messages.success(request, "Concern marked resolved")
        return reverse("escalations:concern", args=[concern.pk])

    if form is not None and (done := submit(request, form, save, guard=(Concern, concern.pk))):
        return done
    escalation = getattr(concern, "escalation", None)
    return render(
        request,
        "escalations/concern_detail.html",
        {"concern": concern, "form": form, "can_act": can_act, "escalation": escalation},
        status=form_status(form),
    )


# --- Escalations ----------------------------------------------------------------------------


def _children_for_new_irp(request, anchor: Child | None):
    visible = children_visible_to(request.user)
    if anchor is not None and anchor.sibling_group_id:
        return visible.filter(sibling_group_id=anchor.sibling_group_id)
    if anchor is not None:
        return visible.filter(pk=anchor.pk)
    return visible


@role_required(Role.IRO)
def escalation_new(request):
    if repeat := already_done(request):
        return repeat
    concern = None
    anchor = None
    if request.GET.get("concern"):
        concern = get_object_or_404(
            selectors.concerns_visible_to(request.user).filter(
                raised_by=request.user, status="open"
            ),
            pk=request.GET["concern"],
        )
        anchor = concern.child
    elif request.GET.get("child"):
        anchor = get_object_or_404(children_visible_to(request.user), pk=request.GET["child"])
    initial = {"children": [anchor.pk] if anchor else []}
    if concern:
        initial["summary"] = concern.description
    form = EscalationForm(
        sent(request),
        initial=initial,
        children=_children_for_new_irp(request, anchor),
        stages=selectors.active_stages(),
        responders=selectors.responders(),
        with_category=concern is None,
    )

    def create() -> str:
        data = form.cleaned_data
        common = {
            "summary": data["summary"],
            "outcome_sought": data["outcome_sought"],
            "stage": data["stage"],
            "responder": data["responder"],
        }
        if concern:
            escalation = services.concern_escalate(
                concern=concern, user=request.user, children=data["children"], **common
            )
        else:
            escalation = services.escalation_raise(
                raised_by=request.user,
                children=data["children"],
                category=data["category"],
                practice_subcategory=data["practice_subcategory"] or "",
                **common,
            )
        messages.success(request, "IRP raised")
        return reverse("escalations:detail", args=[escalation.pk])

    if done := submit(request, form, create):
        return done
    return render(
        request,
        "escalations/escalation_form.html",
        {"form": form, "concern": concern},
        status=form_status(form),
    )


def _visible_escalation(request, pk: int) -> Escalation:
    try:
        return selectors.escalation_detail(request.user, pk)
    except Escalation.DoesNotExist:
        raise Http404("No IRP found") from None


def _later_stages(escalation: Escalation):
    return selectors.active_stages().filter(order__gt=escalation.current_stage.order)


def _action_forms(request, escalation: Escalation, bound: dict | None = None) -> dict:
    """The forms the user may use on this IRP now, keyed by action."""
    bound = bound or {}
    user = request.user
    status = escalation.status
    forms = {}
    open_stage = next((s for s in escalation.stages.all() if s.closed_on is None), None)
    if (
        status == EscalationState.AWAITING_RESPONSE
        and open_stage is not None
        and open_stage.responder_id == user.pk
    ):
        forms["respond"] = bound.get("respond") or RespondForm(
            prefix="respond", initial={"resolved": "yes" if request.GET.get("resolved") else "no"}
        )
    if escalation.is_open and selectors.is_acting_iro(escalation, user):
        if status in (EscalationState.RESPONDED, EscalationState.RESOLUTION_PROPOSED) or (
            status == EscalationState.REFERRED_TO_CAFCASS
        ):
            forms["resolve"] = bound.get("resolve") or ResolveForm(prefix="resolve")
        if status != EscalationState.REFERRED_TO_CAFCASS:
            stages = _later_stages(escalation)
            if stages.exists():
                forms["escalate"] = bound.get("escalate") or EscalateForm(
                    prefix="escalate", stages=stages, responders=selectors.responders()
                )
            forms["refer_cafcass"] = bound.get("refer_cafcass") or NoteForm(
                prefix="refer_cafcass", button="Refer to Cafcass", label="Reason for the referral"
            )
        forms["withdraw"] = bound.get("withdraw") or NoteForm(
            prefix="withdraw",
            button="Withdraw IRP",
            label="Reason for withdrawing",
            required=True,
            warning=True,
        )
    for form in forms.values():
        if not form.is_bound:
            form.initial["version"] = escalation.version
    return forms


@require_safe
@role_required(*ANY_ESCALATION_ROLE)
def escalation_detail(request, pk: int):
    return _detail_page(request, pk)


def _detail_page(request, pk: int, bound: dict | None = None, status: int = 200):
    """The IRP page; after a refused action, shown again with that action's form and a 400."""
    escalation = _visible_escalation(request, pk)
    today = timezone.localdate()
    forms = _action_forms(request, escalation, bound)
    context = {
        "escalation": escalation,
        "row": escalation_rows([escalation], today, request.user)[0],
        "stages": list(escalation.stages.all()),
        "events": history_rows(escalation.events.all()),
        "forms": forms,
        # Responders may see an IRP but not the concern it came from: no link that would 403.
        "concern_visible": escalation.source_concern_id is not None
        and request.user.has_role(Role.IRO, Role.TEAM_MANAGER)
        and selectors.concerns_visible_to(request.user)
        .filter(pk=escalation.source_concern_id)
        .exists(),
    }
    return render(request, "escalations/escalation_detail.html", context, status=status)


def _run_action(request, pk: int, action: str, form, call):
    """Validate `form`, call the service, and show errors on the detail page if refused."""
    escalation = _visible_escalation(request, pk)
    if action not in _action_forms(request, escalation):
        raise PermissionDenied

    def save() -> str:
        call(escalation, form.cleaned_data)
        return reverse("escalations:detail", args=[pk])

    if done := submit(request, form, save, guard=(Escalation, escalation.pk)):
        return done
    return _detail_page(request, pk, bound={action: form}, status=400)


@require_POST
@role_required(*RESPONDER_ROLES)
def escalation_respond(request, pk: int):
    def call(escalation, data):
        services.escalation_respond(
            escalation=escalation,
            responder=request.user,
            response=data["response"],
            resolved=data["resolved"],
        )
        messages.success(request, "Response sent")

    response = _run_action(
        request, pk, "respond", RespondForm(request.POST, prefix="respond"), call
    )
    if response.status_code == 302 and request.POST.get("next") == "queue":
        return redirect("escalations:queue")
    return response


@require_safe
@role_required(*RESPONDER_ROLES)
def escalation_respond_page(request, pk: int):
    """The respond form on its own page, reached from the queue's Respond and Resolve links."""
    escalation = _visible_escalation(request, pk)
    forms = _action_forms(request, escalation)
    if "respond" not in forms:
        raise PermissionDenied
    return render(
        request,
        "escalations/respond.html",
        {
            "escalation": escalation,
            "form": forms["respond"],
            "row": escalation_rows([escalation], timezone.localdate(), request.user)[0],
        },
    )


@require_POST
@role_required(Role.IRO)
def escalation_escalate(request, pk: int):
    escalation = _visible_escalation(request, pk)
    form = EscalateForm(
        request.POST,
        prefix="escalate",
        stages=selectors.active_stages(),
        responders=selectors.responders(),
    )

    def call(escalation, data):
        services.escalation_escalate(
            escalation=escalation,
            user=request.user,
            stage=data["stage"],
            responder=data["responder"],
            note=data["note"],
        )
        messages.success(request, f"IRP escalated to stage {data['stage'].order}")

    return _run_action(request, escalation.pk, "escalate", form, call)


@require_POST
@role_required(Role.IRO)
def escalation_resolve(request, pk: int):
    def call(escalation, data):
        services.escalation_resolve(
            escalation=escalation,
            user=request.user,
            outcome_quality=data["outcome_quality"],
            note=data["note"],
        )
        messages.success(request, "IRP resolved")

    return _run_action(request, pk, "resolve", ResolveForm(request.POST, prefix="resolve"), call)


@require_POST
@role_required(Role.IRO)
def escalation_refer_cafcass(request, pk: int):
    form = NoteForm(
        request.POST,
        prefix="refer_cafcass",
        button="Refer to Cafcass",
        label="Reason for the referral",
    )

    def call(escalation, data):
        services.escalation_refer_cafcass(
            escalation=escalation, user=request.user, note=data["note"]
        )
        messages.success(request, "Referral to Cafcass recorded")

    return _run_action(request, pk, "refer_cafcass", form, call)


@require_POST
@role_required(Role.IRO)
def escalation_withdraw(request, pk: int):
    form = NoteForm(
        request.POST,
        prefix="withdraw",
        button="Withdraw IRP",
        label="Reason for withdrawing",
        required=True,
    )

    def call(escalation, data):
        services.escalation_withdraw(escalation=escalation, user=request.user, note=data["note"])
        messages.success(request, "IRP withdrawn")

    return _run_action(request, pk, "withdraw", form, call)
