"""Writes of the letters app: profiles, "my IRO" letters and records written to the child."""

from letters.services.letters import letter_for_allocation
from letters.services.profiles import profile_save
from letters.services.records import (
    child_record_draft,
    child_record_mark_sent,
    child_record_save,
    fill_template,
    template_text,
)

__all__ = [
    "child_record_draft",
    "child_record_mark_sent",
    "child_record_save",
    "fill_template",
    "letter_for_allocation",
    "profile_save",
    "template_text",
]
