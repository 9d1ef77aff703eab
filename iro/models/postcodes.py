from django.db import models


class Postcode(models.Model):
    """A postcode's OS grid reference, loaded from the ONS Postcode Directory or OS Code-Point Open.

    `manage.py import_postcodes FILE` fills it; care episodes take their placement distance
    (SSDA903 PL_DISTANCE) from the home and placement postcodes' grid references.
    """

    postcode = models.CharField(max_length=8, primary_key=True, help_text="Upper case, one space")
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    la_code = models.CharField("local authority (ONS code)", max_length=9, blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
