"""Child list, child record, care episode steps, allocation and caseload pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iro.models import AccessLog, Allocation, AllocationRequest, CareEpisode, Child
from iro.registry import Panel, TimelineEntry, registry
from tests.iro.factories import AllocationFactory, AreaFactory, CareEpisodeFactory, ChildFactory


def detail(child):
    return reverse("children:detail", kwargs={"pk": child.pk})


# --- Child record -----------------------------------------------------------------------------


def test_the_child_record_shows_status_episodes_and_writes_the_access_log(
    db, login, iro_allocated, child
):
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    response = login(iro_allocated).get(detail(child))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Looked after" in body and "Jamie Smith" in body and "Started to be looked after" in body
    log = AccessLog.objects.get()
    assert (log.user, log.child, log.path) == (iro_allocated, child, detail(child))


def test_the_child_record_renders_sections_and_timeline_entries_from_other_apps(
    db, login, iro_allocated, child, monkeypatch
):
    monkeypatch.setattr(
        registry,
        "timeline",
        [lambda c, u: [TimelineEntry(date(2025, 5, 5), "review", "Review held")]],
    )
    monkeypatch.setattr(
        registry,
        "child_sections",
        [lambda r, c: Panel("iro/panels/unallocated.html", {"count": 7, "target": 72})],
    )
    body = login(iro_allocated).get(detail(child)).content.decode()
    assert "Review held" in body
    assert '<span class="govuk-!-font-weight-bold">7</span>' in body


def test_another_iro_cannot_see_a_restricted_child(
    db, login, iro_allocated, iro_other, team_manager, child
):
    child.restricted = True
    child.save()
    AllocationFactory(
        child=child, iro=iro_other, role="cp", start=date(2024, 1, 1), end=date(2024, 6, 1)
    )
    assert login(iro_other).get(detail(child)).status_code == 404
    assert login(iro_allocated).get(detail(child)).status_code == 200
    assert login(team_manager).get(detail(child)).status_code == 200


def test_a_performance_officer_cannot_see_a_restricted_child(db, login, performance_officer, child):
    child.restricted = True
    child.save()
    assert login(performance_officer).get(detail(child)).status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["board_member", "administrator"])
def test_board_members_and_administrators_cannot_open_child_pages(
    db, login, personas, child, persona
):
    client = login(personas[persona])
    assert client.get(detail(child)).status_code == 403
    assert client.get(reverse("children:list")).status_code == 403


def test_an_iro_cannot_see_a_child_who_is_not_theirs(db, login, iro_other, child):
    assert login(iro_other).get(detail(child)).status_code == 404


# --- Child list -------------------------------------------------------------------------------


def test_the_child_list_searches_and_filters(db, login, team_manager, iro_allocated, iro_other):
    north = AreaFactory(name="North")
    a = ChildFactory(
        first_name="Amara", last_name="Okafor", area=north, date_of_birth=date(2010, 1, 1)
    )
    b = ChildFactory(
        first_name="Ben",
        last_name="Okafor",
        date_of_birth=timezone.localdate() - timedelta(days=100),
    )
    c = ChildFactory(first_name="Cara", last_name="Lee")
    CareEpisodeFactory(child=a)
    AllocationFactory(child=a, iro=iro_allocated)
    AllocationFactory(child=b, iro=iro_other)
    client = login(team_manager)

    def names(**params):
        return [
            child.first_name
            for child in client.get(reverse("children:list"), params).context["page"]
        ]

    assert names(q="okafor") == ["Amara", "Ben"]
    assert names(q=c.la_child_id) == ["Cara"]
    assert names(iro=iro_other.pk) == ["Ben"]
    assert names(area=north.pk) == ["Amara"]
    assert names(age_band="under 1") == ["Ben"]
    assert names(status="looked_after") == ["Amara"]
    assert names(status="neither") == ["Cara", "Ben"] or names(status="neither") == ["Ben", "Cara"]


def test_an_iro_sees_only_their_own_children_in_the_list(
    db, login, iro_allocated, iro_other, child
):
    AllocationFactory(child=ChildFactory(), iro=iro_other)
    page = login(iro_allocated).get(reverse("children:list")).context["page"]
    assert [c.pk for c in page] == [child.pk]


def test_the_child_list_uses_the_same_number_of_queries_for_3_and_20_children(
    db, login, team_manager, iro_allocated, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            kid = ChildFactory()
            CareEpisodeFactory(child=kid)
            AllocationFactory(child=kid, iro=iro_allocated)

    client = login(team_manager)
    make(3)
    client.get(reverse("children:list"))  # warm-up: settings row, session
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("children:list"))
    make(17)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("children:list"))
    assert len(response.context["rows"]) == 20


# --- Care episode steps -----------------------------------------------------------------------


def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def test_a_team_manager_starts_care_and_an_iro_is_requested(db, login, team_manager):
    child = ChildFactory()
    response = login(team_manager).post(
        reverse("children:care_start", kwargs={"pk": child.pk}),
        {
            **_date("start", date(2026, 1, 5)),
            "legal_status": "C1",
            "category_of_need": "N1",
            "placement_type": "U6",
            "placement_provider": "PR1",
        },
    )
    assert response.status_code == 302
    assert CareEpisode.objects.get(child=child).reason_new_episode == "S"
    assert AllocationRequest.objects.filter(child=child, fulfilled_at__isnull=True).count() == 1


def test_a_bad_start_shows_the_error_and_keeps_what_was_typed(db, login, team_manager):
    child = ChildFactory()
    response = login(team_manager).post(
        reverse("children:care_start", kwargs={"pk": child.pk}),
        {
            **_date("start", date(2026, 1, 5)),
            "legal_status": "C1",
            "category_of_need": "N1",
            "placement_type": "U6",
            "placement_provider": "",
            "placement_postcode": "B1 1AA",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and "Enter the placement provider" in body
    assert 'value="B1 1AA"' in body
    assert not CareEpisode.objects.exists()


def test_the_end_care_form_does_not_offer_x1_and_start_offers_no_retired_codes(
    db, login, team_manager
):
    child = ChildFactory()
    CareEpisodeFactory(child=child)
    client = login(team_manager)
    end = client.get(reverse("children:care_end", kwargs={"pk": child.pk})).context["form"]
    assert "X1" not in dict(end.fields["reason_ceased"].choices)
    start = client.get(reverse("children:care_start", kwargs={"pk": child.pk})).context["form"]
    assert not {"H5", "P2", "Z1"} & set(dict(start.fields["placement_type"].choices))


def test_a_change_of_placement_through_the_page(db, login, team_manager):
    child = ChildFactory()
    CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    response = login(team_manager).post(
        reverse("children:care_change", kwargs={"pk": child.pk}),
        {
            **_date("on", date(2025, 6, 2)),
            "placement_type": "K2",
            "placement_provider": "PR4",
            "carer_changed": "on",
            "reason_place_change": "CREQB",
            "home_postcode": "TS1 2AB",
            "placement_postcode": "TS5 6CD",
        },
    )
    assert response.status_code == 302
    assert list(
        CareEpisode.objects.filter(child=child).values_list("reason_new_episode", "reason_ceased")
    ) == [("S", "X1"), ("P", "")]


@pytest.mark.parametrize("persona", ["iro_allocated", "head_of_service"])
def test_iros_and_heads_of_service_cannot_record_episodes(db, login, personas, child, persona):
    response = login(personas[persona]).get(reverse("children:care_start", kwargs={"pk": child.pk}))
    assert response.status_code in (403, 404)


def test_an_iro_cannot_edit_a_child(db, login, iro_allocated, child):
    assert (
        login(iro_allocated).get(reverse("children:edit", kwargs={"pk": child.pk})).status_code
        == 403
    )


def test_a_team_manager_adds_a_child_and_retired_sex_codes_are_not_offered(db, login, team_manager):
    client = login(team_manager)
    form = client.get(reverse("children:create")).context["form"]
    assert set(dict(form.fields["sex"].choices)) == {"M", "F", "U"}
    response = client.post(
        reverse("children:create"),
        {
            "la_child_id": "C777",
            "first_name": "Nia",
            "last_name": "Jones",
            **_date("date_of_birth", date(2019, 4, 2)),
            "sex": "F",
            "ethnicity": "BAFR",
        },
    )
    assert response.status_code == 302
    assert Child.objects.get(la_child_id="C777").date_of_birth == date(2019, 4, 2)


# --- Allocation -------------------------------------------------------------------------------


def test_the_unallocated_list_flags_overdue_requests(db, login, team_manager):
    late = ChildFactory(first_name="Late")
    AllocationRequest.objects.create(
        child=late, role="cla", notified_at=timezone.now() - timedelta(hours=80)
    )
    AllocationRequest.objects.create(
        child=ChildFactory(first_name="New"), role="cla", notified_at=timezone.now()
    )
    response = login(team_manager).get(reverse("allocations:unallocated"))
    rows = response.context["rows"]
    assert [(r.request.child.first_name, r.overdue) for r in rows] == [
        ("Late", True),
        ("New", False),
    ]
    assert response.context["overdue"] == 1


def test_the_unallocated_list_uses_the_same_number_of_queries_for_3_and_20(
    db, login, team_manager, django_assert_max_num_queries
):
    client = login(team_manager)

    def make(n):
        for _ in range(n):
            AllocationRequest.objects.create(
                child=ChildFactory(), role="cla", notified_at=timezone.now()
            )

    make(3)
    client.get(reverse("allocations:unallocated"))  # warm-up: settings row, session
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("allocations:unallocated"))
    make(17)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(reverse("allocations:unallocated")).context["rows"]) == 20


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "head_of_service", "performance_officer", "board_member"]
)
def test_only_team_managers_reach_allocation_and_caseload_pages(
    db, login, personas, child, persona
):
    client = login(personas[persona])
    assert client.get(reverse("allocations:unallocated")).status_code == 403
    assert client.get(reverse("caseloads:list")).status_code == 403
    assert (
        client.get(
            reverse("caseloads:detail", kwargs={"iro_pk": personas["iro_allocated"].pk})
        ).status_code
        == 403
    )
    assert client.get(reverse("children:allocate", kwargs={"pk": child.pk})).status_code == 403


def test_a_team_manager_allocates_the_suggested_iro_and_the_request_is_fulfilled(
    db, login, team_manager, iro_allocated
):
    child = ChildFactory()
    CareEpisodeFactory(child=child)
    AllocationRequest.objects.create(child=child, role="cla", notified_at=timezone.now())
    client = login(team_manager)
    page = client.get(reverse("children:allocate", kwargs={"pk": child.pk}) + "?role=cla")
    assert page.context["suggestion"].iro == iro_allocated
    # The suggestion is shown beside the choices with its reason, and nothing is preselected.
    html = page.content.decode()
    assert f"Suggested: {iro_allocated}. {page.context['suggestion'].reason}." in html
    assert page.context["form"]["iro"].value() is None
    iro_select = html.split('name="iro"')[1].split("</select>")[0]
    # Only the empty "Choose an IRO" option is selected, not the suggested IRO.
    assert '<option value="" selected>Choose an IRO</option>' in iro_select
    assert iro_select.count("selected") == 1
    pressed = client.post(
        reverse("children:allocate", kwargs={"pk": child.pk}),
        {"role": "cla", **_date("start", timezone.localdate())},
    )
    assert pressed.status_code == 400
    assert "Select the IRO" in pressed.content.decode()
    assert not Allocation.objects.filter(child=child).exists()
    response = client.post(
        reverse("children:allocate", kwargs={"pk": child.pk}),
        {"role": "cla", "iro": iro_allocated.pk, **_date("start", timezone.localdate())},
    )
    assert response.status_code == 302
    assert Allocation.objects.get(child=child).iro == iro_allocated
    assert not AllocationRequest.objects.filter(fulfilled_at__isnull=True).exists()


def test_reallocating_without_a_reason_shows_an_error(db, login, team_manager, iro_other, child):
    response = login(team_manager).post(
        reverse("children:allocate", kwargs={"pk": child.pk}),
        {"role": "cla", "iro": iro_other.pk, **_date("start", timezone.localdate())},
    )
    assert response.status_code == 400
    assert "Enter the reason for the change of IRO" in response.content.decode()
    assert Allocation.objects.filter(child=child, end__isnull=True).get().iro.username == "alice"


# --- Caseloads --------------------------------------------------------------------------------


def test_the_caseload_page_shows_each_iro_and_drills_into_one(
    db, login, team_manager, iro_allocated, iro_other, child
):
    CareEpisodeFactory(child=child)
    client = login(team_manager)
    response = client.get(reverse("caseloads:list"))
    rows = {r.username: r.children for r in response.context["rows"]}
    assert rows == {"alice": 1, "bob": 0}
    assert "<svg" in response.content.decode()
    drill = client.get(reverse("caseloads:detail", kwargs={"iro_pk": iro_allocated.pk}))
    assert [c.pk for c in drill.context["children"]] == [child.pk]


def test_the_caseload_page_uses_the_same_number_of_queries_for_3_and_20_iros(
    db, login, team, team_manager, django_assert_max_num_queries
):
    from iro.roles import Role
    from tests.iro.factories import make_user

    client = login(team_manager)

    def make(n):
        for _ in range(n):
            iro = make_user(Role.IRO, team=team)
            kid = ChildFactory()
            CareEpisodeFactory(child=kid)
            AllocationFactory(child=kid, iro=iro)

    make(3)
    client.get(reverse("caseloads:list"))  # warm-up: settings row, session
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("caseloads:list"))
    make(17)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(reverse("caseloads:list")).context["rows"]) == 20


def test_team_manager_home_shows_unallocated_and_caseload_panels(db, login, team_manager, child):
    AllocationRequest.objects.create(
        child=ChildFactory(), role="cla", notified_at=timezone.now() - timedelta(hours=100)
    )
    body = login(team_manager).get("/").content.decode()
    assert 'data-testid="panel-unallocated"' in body and "1 overdue" in body
    assert 'data-testid="panel-caseloads"' in body
    assert 'href="/caseloads/"' in body and 'href="/allocations/unallocated/"' in body


def _episode_post(episode, **changes):
    data = {
        **_date("start", episode.start),
        "reason_new_episode": episode.reason_new_episode,
        "legal_status": episode.legal_status,
        "category_of_need": episode.category_of_need,
        "placement_type": episode.placement_type,
        "placement_provider": episode.placement_provider,
        "end_0": "",
        "end_1": "",
        "end_2": "",
        "reason_ceased": "",
    }
    data.update(changes)
    return data


def test_a_team_manager_corrects_an_episode_start(db, login, team_manager):
    child = ChildFactory()
    episode = CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    url = reverse("children:episode_correct", kwargs={"pk": child.pk, "episode_pk": episode.pk})
    response = login(team_manager).post(
        url, _episode_post(episode, **_date("start", date(2025, 1, 3)))
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.start == date(2025, 1, 3)


def test_a_correction_that_breaks_a_rule_is_shown_and_not_saved(db, login, team_manager):
    child = ChildFactory()
    episode = CareEpisodeFactory(child=child, start=date(2025, 1, 6))
    url = reverse("children:episode_correct", kwargs={"pk": child.pk, "episode_pk": episode.pk})
    response = login(team_manager).post(url, _episode_post(episode, reason_new_episode="P"))
    assert response.status_code == 400
    assert "A period of care must start with reason S" in response.content.decode()
    episode.refresh_from_db()
    assert episode.reason_new_episode == "S"


def test_a_retired_code_is_offered_only_on_an_episode_that_has_it(db, login, team_manager):
    child = ChildFactory()
    old = CareEpisodeFactory(
        child=child, start=date(2023, 1, 9), placement_type="H5", placement_provider="PR4"
    )
    client = login(team_manager)
    url = reverse("children:episode_correct", kwargs={"pk": child.pk, "episode_pk": old.pk})
    choices = set(dict(client.get(url).context["form"].fields["placement_type"].choices))
    assert "H5" in choices and not {"P2", "Z1"} & choices


def test_an_iro_cannot_correct_an_episode(db, login, iro_allocated, child):
    episode = CareEpisodeFactory(child=child)
    url = reverse("children:episode_correct", kwargs={"pk": child.pk, "episode_pk": episode.pk})
    assert login(iro_allocated).get(url).status_code == 403


def test_a_child_without_any_birth_date_is_refused_and_the_names_are_kept(db, login, team_manager):
    response = login(team_manager).post(
        reverse("children:create"),
        {
            "la_child_id": "C888",
            "first_name": "Rosa",
            "last_name": "Mendes",
            "sex": "F",
            "ethnicity": "WOTH",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the date of birth, or the expected date of birth if unborn" in body
    assert 'value="Rosa"' in body and 'value="Mendes"' in body
    assert not Child.objects.filter(la_child_id="C888").exists()


@pytest.mark.parametrize(
    "persona", ["iro_allocated", "head_of_service", "board_member", "administrator"]
)
def test_only_managers_and_performance_officers_add_children(db, login, personas, persona):
    response = login(personas[persona]).post(
        reverse("children:create"), {"la_child_id": "C999", "first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 403
    assert not Child.objects.filter(la_child_id="C999").exists()
