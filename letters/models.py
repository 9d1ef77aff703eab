"""Writing to the child: each IRO's profile for children, the "my IRO" letter a child gets when
an IRO is allocated or changes, and the record of a review written to the child.

A letter and a record written to the child name a child: they are read only on the service's own
pages, through iro/access.py, never in the admin. The templates of the record written to the
child (one per age band, iro.age_bands.AGE_BANDS) are kept by administrators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from iro.age_bands import AGE_BANDS

# The bands a record written to the child is for: every band of the one definition but "unborn".
RECORD_AGE_BANDS = [(band.code, band.label) for band in AGE_BANDS]


class IroProfile(models.Model):
    """What an IRO tells children about themselves, in their own words, shown on the "my IRO"
    letter. One per IRO; the photo is optional (a JPEG the service re-encodes on upload)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="iro_profile"
    )
    who_i_am = models.TextField("Who I am", max_length=1000)
    what_i_do = models.TextField("What I do", max_length=1000)
    how_to_reach_me = models.TextField("How to reach me", max_length=600)
    photo = models.FileField(upload_to="iro-profiles/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["photo"])

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class MyIroLetter(models.Model):
    """The "my IRO" letter for a child: made when a CLA IRO is allocated to the child or changes
    (one per allocation), naming the IRO and, after a change, who was the IRO before. It shows
    the IRO's profile as it is when the letter is read, printed or downloaded."""

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="my_iro_letters")
    allocation = models.OneToOneField(
        "iro.Allocation", on_delete=models.CASCADE, related_name="my_iro_letter"
    )
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "-from_date", "-pk"]

    def __str__(self) -> str:
        return f"My IRO letter {self.pk} (from {self.from_date:%Y-%m-%d})"


class ChildRecordTemplate(models.Model):
    """The service's starting text of a record written to the child, one per age band. Words
    in braces are filled in: {first_name}, {review_date}, {iro_name}, {next_review}."""

    age_band = models.CharField(max_length=8, choices=RECORD_AGE_BANDS, unique=True)
    text = models.TextField(max_length=6000)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["age_band"]
        verbose_name = "record written to the child: template"
        verbose_name_plural = "records written to the child: templates"

    def __str__(self) -> str:
        return f"Template for {dict(RECORD_AGE_BANDS).get(self.age_band, self.age_band)}"


class ChildRecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINISHED = "finished", "Finished"


class ChildRecord(models.Model):
    """The record of a CLA review written to the child, one per review. Finishing it marks the
    review record completed (reviews' record milestones), and sending it marks it distributed,
    so the record timeliness figures count it like any review record."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="child_record"
    )
    text = models.TextField(max_length=10000)
    age_band = models.CharField(max_length=8, choices=RECORD_AGE_BANDS)
    status = models.CharField(
        max_length=10, choices=ChildRecordStatus.choices, default=ChildRecordStatus.DRAFT
    )
    reading_ease = models.FloatField(null=True, blank=True)
    reading_age = models.FloatField(null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(finished_on__isnull=False),
                name="finished_child_record_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(sent_on__isnull=True) | models.Q(status="finished"),
                name="child_record_sent_once_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"Record written to the child for review {self.review_id}"
