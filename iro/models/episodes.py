from django.db import models
from simple_history.models import HistoricalRecords

from iro.codes import (
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
)
from iro.concurrency import Versioned
from iro.validators import case_date, past_date


class PlacementLocation(models.TextChoices):
    IN = "IN", "Inside the authority's area"
    OUT = "OUT", "Outside the authority's area"


class CareEpisode(Versioned):
    """One SSDA903 episode: one legal status and one placement.

    A period of care is a run of episodes joined by REC = X1, starting with RNE = S. The rules
    (no overlaps, X1 chaining, RNE matching what changed, constant CIN code within a period) are
    enforced in iro.services.episodes, under a row lock on the child.
    """

    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="episodes")
    start = models.DateField(
        "date episode commenced (DECOM)", validators=past_date("The date care started")
    )
    reason_new_episode = models.CharField("RNE", max_length=1, choices=ReasonNewEpisode.choices)
    legal_status = models.CharField("LS", max_length=2, choices=LegalStatus.choices)
    category_of_need = models.CharField("CIN", max_length=2, choices=CategoryOfNeed.choices)
    placement_type = models.CharField("PLACE", max_length=3, choices=PlacementType.choices)
    placement_provider = models.CharField(
        "PLACE_PROVIDER", max_length=3, choices=PlacementProvider.choices, blank=True
    )
    home_postcode = models.CharField("HOME_POST", max_length=8, blank=True)
    placement_postcode = models.CharField("PL_POST", max_length=8, blank=True)
    placement_urn = models.CharField("URN", max_length=10, blank=True)
    distance_miles = models.DecimalField(
        "distance from home (miles)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    placement_location = models.CharField(
        "PL_LOCATION", max_length=3, choices=PlacementLocation.choices, blank=True
    )
    preferred_placement = models.BooleanField(
        "the child's preferred placement",
        null=True,
        blank=True,
        help_text="A local field, not in the 903: whether this is where the child wants to live",
    )
    end = models.DateField(
        "date episode ceased (DEC)",
        null=True,
        blank=True,
        validators=case_date("The date care ended"),
    )
    reason_ceased = models.CharField("REC", max_length=3, choices=ReasonCeased.choices, blank=True)
    reason_place_change = models.CharField(
        "REASON_PLACE_CHANGE", max_length=6, choices=ReasonPlaceChange.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "start", "id"]
        indexes = [
            models.Index(fields=["child", "start"]),
            models.Index(fields=["start", "end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="episode_end_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(end__isnull=True) & models.Q(reason_ceased=""))
                | (models.Q(end__isnull=False) & ~models.Q(reason_ceased="")),
                name="episode_end_and_reason_together",
            ),
            # At most one open episode per child (903 rule 142).
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end__isnull=True), name="one_open_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.start} {self.legal_status}/{self.placement_type}"

    @property
    def is_open(self) -> bool:
        return self.end is None
