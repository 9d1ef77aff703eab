"""A child's "my IRO" letters: the page ready to print, and the Word copy."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from iro.access import get_visible_child_or_404
from iro.audit import log_child_access
from iro.navigation import child_url
from letters import documents, selectors
from letters.models import MyIroLetter


def _letter(request, child_pk: int, pk: int) -> MyIroLetter:
    """The letter, if the user may see its child (iro.access, as the child's record)."""
    child = get_visible_child_or_404(request.user, pk=child_pk)
    letter = get_object_or_404(
        MyIroLetter.objects.select_related("iro", "previous_iro"), pk=pk, child=child
    )
    letter.child = child
    log_child_access(user=request.user, child=child, path=request.path)
    return letter


@require_safe
@permission_required("letters.view_myiroletter", raise_exception=True)
def letter_page(request, child_pk: int, pk: int):
    letter = _letter(request, child_pk, pk)
    profile = selectors.profile_of(letter.iro)
    return render(
        request,
        "letters/letter.html",
        {
            "letter": letter,
            "profile": profile,
            "sections": selectors.letter_sections(letter, profile),
            "child_url": child_url(letter.child.pk),
        },
    )


@require_safe
@permission_required("letters.view_myiroletter", raise_exception=True)
def letter_docx(request, child_pk: int, pk: int):
    letter = _letter(request, child_pk, pk)
    content = documents.letter_document(letter, selectors.profile_of(letter.iro))
    return documents.docx_response(content, f"my-iro-letter-{letter.pk}.docx")
