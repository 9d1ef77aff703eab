"""The one definition of age bands (iro.age_bands): the filter, the SQL CASE of a date of birth
and of an age, and the Python answer agree on every birthday edge."""

from datetime import date, timedelta

import pytest
from django.db.models import IntegerField, Value

from iro.age_bands import (
    AGE_BAND_CODES,
    AGE_BANDS,
    UNBORN,
    age_case,
    age_sql,
    band_of_age,
    date_of_birth_case,
    in_band,
)
from iro.models import Child
from iro.rules import add_months
from tests.iro.factories import ChildFactory

ON = date(2025, 3, 31)


def test_the_bands_follow_one_another_without_gaps():
    assert AGE_BAND_CODES == ["under 1", "1-4", "5-9", "10-15", "16+"]
    for before, after in zip(AGE_BANDS, AGE_BANDS[1:], strict=False):
        assert before.high == after.low
    assert [band_of_age(age) for age in (0, 1, 4, 5, 9, 10, 15, 16, 17)] == [
        "under 1", "1-4", "1-4", "5-9", "5-9", "10-15", "10-15", "16+", "16+"
    ]  # fmt: skip


def test_age_sql_is_the_same_case_as_the_python_answer():
    assert age_sql("age") == (
        "CASE WHEN age < 1 THEN 'under 1' WHEN age < 5 THEN '1-4' WHEN age < 10 THEN '5-9' "
        "WHEN age < 16 THEN '10-15' ELSE '16+' END"
    )


@pytest.mark.django_db
def test_the_filter_and_the_case_put_each_birthday_in_one_band():
    births = [None, ON + timedelta(days=1), ON]
    for years in (1, 5, 10, 16):
        births += [add_months(ON, -12 * years), add_months(ON, -12 * years) + timedelta(days=1)]
    children = [
        ChildFactory(date_of_birth=born, expected_date_of_birth=None if born else ON)
        for born in births
    ]
    banded = dict(Child.objects.annotate(band=date_of_birth_case(ON)).values_list("pk", "band"))
    for code in [UNBORN.code, *AGE_BAND_CODES]:
        filtered = set(Child.objects.filter(in_band(code, ON)).values_list("pk", flat=True))
        assert filtered == {pk for pk, band in banded.items() if band == code}, code
    assert [banded[c.pk] for c in children] == [
        "unborn", "unborn", "under 1", "1-4", "under 1", "5-9", "1-4", "10-15", "5-9", "16+",
        "10-15",
    ]  # fmt: skip
    ages = Child.objects.annotate(age=Value(15, IntegerField())).annotate(band=age_case("age"))
    assert {band for band in ages.values_list("band", flat=True)} == {"10-15"}
