"""The record of a CLA review written to the child: write (with the readability check), finish,
mark as sent, and the Word copy. Who may open it is who may open the review (iro.access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from iro.audit import log_child_access
from iro.form_errors import apply_errors
from iro.navigation import child_url
from letters import documents, services
from letters.forms import ACTIONS, ChildRecordForm
from letters.models import ChildRecord, ChildRecordStatus
from letters.readability import MAX_SCORED_CHARACTERS, readability
from reviews.models import ReviewStatus
from reviews.selectors import get_visible_review_or_404

WRITE = "letters.change_childrecord"


def _review(request, review_pk: int):
    review = get_visible_review_or_404(request.user, review_pk)
    log_child_access(user=request.user, child=review.child, path=request.path)
    return review


@permission_required(WRITE, raise_exception=True)
def record_write(request, review_pk: int):
    review = _review(request, review_pk)
    if review.status != ReviewStatus.HELD:
        messages.error(request, "Write the record to the child once the review has been held.")
        return redirect("reviews:detail", pk=review.pk)
    record = services.child_record_draft(review=review, user=request.user)
    finished = record.status == ChildRecordStatus.FINISHED
    score = None
    if request.method == "POST":
        form = ChildRecordForm(request.POST, finished=finished)
        action = ACTIONS.get(request.POST.get("action", ""), "save")
        if form.is_valid():
            text = form.cleaned_data["text"]
            score = readability(text)
            if action != "preview":
                try:
                    services.child_record_save(
                        review=review, text=text, by=request.user, finish=action == "finish"
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    done = "finished" if action == "finish" else "saved"
                    messages.success(request, f"Record written to the child: {done}")
                    return redirect("letters:record_write", review_pk=review.pk)
    else:
        form = ChildRecordForm(initial={"text": record.text}, finished=finished)
        score = readability(record.text)
    return render(
        request,
        "letters/record_write.html",
        {
            "review": review,
            "record": record,
            "form": form,
            "score": score,
            "child_url": child_url(review.child_id),
            "readability_url": reverse("letters:readability"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(WRITE, raise_exception=True)
def record_sent(request, review_pk: int):
    review = _review(request, review_pk)
    try:
        services.child_record_mark_sent(review=review)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Record written to the child: marked as sent")
    return redirect("letters:record_write", review_pk=review.pk)


@require_safe
@permission_required("letters.view_childrecord", raise_exception=True)
def record_docx(request, review_pk: int):
    review = _review(request, review_pk)
    if review.status != ReviewStatus.HELD:
        raise Http404("No record written to the child")
    record = ChildRecord.objects.filter(review=review).first()
    if record is None:
        record = services.child_record_draft(review=review, user=request.user)
    record.review = review
    content = documents.record_document(record)
    return documents.docx_response(content, f"review-record-for-the-child-{review.pk}.docx")


@permission_required(WRITE, raise_exception=True)
def readability_check(request):
    """The readability of the text sent (JSON), for the script on the writing page. Nothing is
    stored and no child is named: the text is scored and forgotten."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.POST.get("text", "")[:MAX_SCORED_CHARACTERS]
    score = readability(text)
    return JsonResponse(score.as_dict() if score else {"summary": "", "words": 0})
