"""The head of service's commentary on the annual report, one text per section and year.

`commentary_for(year)` is what the report page and the downloads read; `commentary_save` is the
one way to write it (atomic, validated before saving, its history kept by simple-history).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from reporting.figures import SECTIONS
from reporting.models import ReportCommentary


def commentary_for(year: int) -> dict[str, str]:
    """Each section's commentary for the reporting year starting in `year`, by section key
    (sections without any are left out)."""
    rows = ReportCommentary.objects.filter(year=year).exclude(text="")
    return {row.section_key: row.text for row in rows if row.section_key in SECTIONS}


def commentary_get(year: int, section_key: str) -> ReportCommentary | None:
    return ReportCommentary.objects.filter(year=year, section_key=section_key).first()


@transaction.atomic
def commentary_save(*, year: int, section_key: str, text: str, user) -> ReportCommentary:
    """Writes a section's commentary for the year (a blank text clears it)."""
    if section_key not in SECTIONS:
        raise ValidationError({"section_key": "Choose a section of the report"})
    text = text.replace("\r\n", "\n").strip()
    item = (
        ReportCommentary.objects.select_for_update()
        .filter(year=year, section_key=section_key)
        .first()
    ) or ReportCommentary(year=year, section_key=section_key)
    item.text = text
    item.updated_by = user
    item.full_clean()
    item.save()
    return item
