"""Error messages on forms across the apps name the field and say what to do (GOV.UK pattern)."""

from datetime import date

import pytest
from django.urls import reverse

from iro.form_fields import GovukDateField
from iro.forms import CareEndForm, ChildForm, EpisodeCorrectForm
from iro.models import CareEpisode
from protection.forms import PlanEndForm
from tests.iro.factories import CareEpisodeFactory, ChildFactory


def test_an_impossible_date_says_the_field_must_be_a_real_date():
    form = CareEndForm(data={"on_0": "31", "on_1": "2", "on_2": "2026", "reason_ceased": "E2"})
    assert not form.is_valid()
    assert form.errors["on"] == ["Date care ended must be a real date"]


def test_a_two_digit_year_is_refused_rather_than_read_as_the_first_century():
    field = GovukDateField(label="Date of birth")
    with pytest.raises(Exception) as raised:
        field.clean(["3", "4", "26"])
    assert raised.value.messages == ["Date of birth must include a 4-digit year"]
    assert field.clean(["3", "4", "2026"]) == date(2026, 4, 3)


def test_blank_required_fields_are_named_in_their_error_messages():
    form = ChildForm(data={})
    assert not form.is_valid()
    assert form.errors["la_child_id"] == ["Enter the LA child ID"]
    assert form.errors["first_name"] == ["Enter the first name"]
    assert form.errors["sex"] == ["Select the sex"]
    end = PlanEndForm(data={})
    assert not end.is_valid()
    assert end.errors == {
        "end": ["Enter the date the plan ended"],
        "reason": ["Select why the plan ended"],
    }


@pytest.mark.django_db
def test_no_form_of_the_case_core_shows_django_s_generic_required_message():
    episode = CareEpisodeFactory(child=ChildFactory(), start=date(2025, 1, 6))
    for form in [
        ChildForm(data={}),
        CareEndForm(data={}),
        EpisodeCorrectForm(data={}, instance=episode),
    ]:
        assert not form.is_valid()
        messages = [m for errors in form.errors.values() for m in errors]
        assert messages and "This field is required." not in messages


def test_the_correction_form_uses_the_same_plain_labels_as_the_other_episode_steps(
    db, login, team_manager
):
    import re

    episode = CareEpisodeFactory(child=ChildFactory(), start=date(2025, 1, 6))
    form = EpisodeCorrectForm(instance=episode)
    assert form.fields["reason_new_episode"].label == "Reason for new episode"
    assert form.fields["home_postcode"].label == "Home postcode"
    url = reverse(
        "children:episode_correct", kwargs={"pk": episode.child_id, "episode_pk": episode.pk}
    )
    html = login(team_manager).get(url).content.decode()
    distance = re.search(r"<input[^>]*name=\"distance_miles\"[^>]*>", html).group(0)
    assert "govuk-input" in distance
    assert "PL_POST" not in html and "HOME_POST" not in html


def test_ending_care_with_an_impossible_date_keeps_the_input_and_saves_nothing(
    db, login, team_manager
):
    child = ChildFactory()
    CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    response = login(team_manager).post(
        reverse("children:care_end", kwargs={"pk": child.pk}),
        {"on_0": "31", "on_1": "2", "on_2": "2026", "reason_ceased": "E2"},
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Date care ended must be a real date" in html
    assert 'value="31"' in html
    assert CareEpisode.objects.get(child=child).end is None


@pytest.mark.parametrize("name", ["children:create", "children:care_start", "children:allocate"])
def test_case_core_forms_leave_validation_to_the_error_summary_not_the_browser(
    name, db, login, team_manager
):
    import re

    child = ChildFactory()
    url = reverse(name) if name == "children:create" else reverse(name, args=[child.pk])
    html = login(team_manager).get(url).content.decode()
    main = html[html.index("<main") :]
    form_tag = re.search(r"<form[^>]*method=\"post\"[^>]*>", main).group(0)
    assert "novalidate" in form_tag


def test_number_fields_are_numeric_text_inputs_with_messages_that_name_the_field():
    from iro.forms import CareStartForm
    from protection.forms import OutcomeForm

    outcome = OutcomeForm(data={"professionals_attended": "three"})
    widget = outcome.fields["professionals_attended"].widget
    assert widget.input_type == "text" and widget.attrs["inputmode"] == "numeric"
    assert not outcome.is_valid()
    assert outcome.errors["professionals_attended"] == [
        "Number of professionals who attended must be a whole number, like 3"
    ]
    too_many = OutcomeForm(data={"professionals_attended": "150"})
    assert not too_many.is_valid()
    assert too_many.errors["professionals_attended"] == [
        "Number of professionals who attended must be 99 or less"
    ]
    start = CareStartForm(data={"distance_miles": "far"})
    assert start.fields["distance_miles"].widget.attrs["inputmode"] == "decimal"
    assert not start.is_valid()
    assert start.errors["distance_miles"] == [
        "Distance from home (miles) must be a number, like 12.5"
    ]
    rendered = str(OutcomeForm()["professionals_attended"])
    assert 'type="text"' in rendered and 'inputmode="numeric"' in rendered
    assert 'type="number"' not in rendered


def test_the_version_an_edit_form_carries_stays_a_hidden_input(child):
    """A record's version is not a number for the user to type: the GOV.UK number treatment
    (a visible text box) leaves hidden inputs alone."""
    rendered = str(ChildForm(instance=child)["version"])
    assert 'type="hidden"' in rendered
    assert f'value="{child.version}"' in rendered
    assert 'type="text"' not in rendered
