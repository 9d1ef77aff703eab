"""The commentary page: the head of service writes a section's narrative for the annual report;
the performance officer may read it there (and reads it in the report and its downloads)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from iro.form_errors import apply_errors
from reporting.commentary import commentary_get, commentary_save
from reporting.figures import SECTIONS
from reporting.models import COMMENTARY_MAX_LENGTH
from reporting.web.common import year_period


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Commentary",
        help_text="What the figures in this section say about the service this year: plain "
        "sentences, as the board will read them. Leave it empty to show no commentary.",
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "max_length": f"Commentary must be {COMMENTARY_MAX_LENGTH:,} characters or fewer"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("text", label_size=Size.SMALL, max_characters=COMMENTARY_MAX_LENGTH),
            Submit("submit", "Save commentary"),
        )


@require_http_methods(["GET", "HEAD", "POST"])
def commentary_edit(request, year: int, section: str):
    """GET for the head of service (the form) and the performance officer (read only); POST for
    the head of service only."""
    can_edit = request.user.has_perm("reporting.change_reportcommentary")
    if not (can_edit or request.user.has_perm("reporting.view_reportcommentary")):
        raise PermissionDenied
    period = year_period(year)
    if section not in SECTIONS:
        raise Http404("No such section")
    item = commentary_get(year, section)
    report_url = reverse("reporting:annual", args=[year]) + f"#section-{section}"
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = CommentaryForm(request.POST)
        if form.is_valid():
            try:
                commentary_save(
                    year=year,
                    section_key=section,
                    text=form.cleaned_data["text"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return HttpResponseRedirect(report_url)
    else:
        form = CommentaryForm(initial={"text": item.text if item else ""})
    return render(
        request,
        "reporting/commentary.html",
        status=400 if form.errors else 200,
        context={
            "form": form,
            "period": period,
            "year": year,
            "section_title": SECTIONS[section],
            "item": item,
            "can_edit": can_edit,
            "report_url": report_url,
            "title": f"Commentary: {SECTIONS[section]}",
        },
    )
