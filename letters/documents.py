"""Word copies (python-docx) of the "my IRO" letter and of the record written to the child,
laid out for a child: a large clear font, short headings, the IRO's photo."""

from __future__ import annotations

import io

from django.http import HttpResponse
from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Cm, Pt

from letters.models import ChildRecord, IroProfile, MyIroLetter
from letters.selectors import letter_sections

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document() -> WordDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(14)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.2)
    return document


def _paragraphs(document: WordDocument, text: str) -> None:
    for block in text.split("\n\n"):
        document.add_paragraph(block.strip("\n"))


def letter_document(letter: MyIroLetter, profile: IroProfile | None) -> bytes:
    document = _document()
    document.add_heading(f"Hello {letter.child.first_name}, I am your IRO", level=1)
    if profile is not None and profile.photo:
        try:
            with profile.photo.open("rb") as photo:
                document.add_picture(io.BytesIO(photo.read()), width=Cm(5))
        except (OSError, ValueError):
            pass  # a photo missing from storage leaves the letter without it
    for heading, text in letter_sections(letter, profile):
        if heading:
            document.add_heading(heading, level=2)
        _paragraphs(document, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def record_document(record: ChildRecord) -> bytes:
    document = _document()
    review = record.review
    document.add_heading(f"Your review on {review.held_on:%-d %B %Y}", level=1)
    _paragraphs(document, record.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
