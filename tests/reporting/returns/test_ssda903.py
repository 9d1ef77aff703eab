"""SSDA903 export layout and the import: refusals, all-or-nothing, idempotence, multi-year."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from iro.models import CareEpisode, Child
from reporting.returns.importer import import_years, read_year
from reporting.returns.ssda903 import COLUMNS, CollectionYear, export_files
from reviews import rules as review_rules
from reviews.models import Review, ReviewStatus
from tests.iro.factories import CareEpisodeFactory, ChildFactory

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE\r\n"
UASC = "CHILD,SEX,DOB,DUC\r\n"


def good_files() -> dict[str, str]:
    return {
        "header.csv": HEADER + "A1,F,01/02/2012,WBRI,UN5,0,\r\n" + "A2,M,03/04/2009,BAFR,UN5,,\r\n",
        "episodes.csv": EPISODES
        + "A1,10/05/2024,S,V2,N1,U6,PR1,01/07/2024,X1,CARPL,TW1 1AA,TW2 2BB,SC055120\r\n"
        + "A1,01/07/2024,P,V2,N1,U4,PR4,,,,TW1 1AA,TW3 3CC,SC123456\r\n"
        + "A2,20/06/2024,S,V2,N8,K3,PR4,,,,,TW4 4DD,SC654321\r\n",
        "reviews.csv": REVIEWS
        + "A1,01/02/2012,05/06/2024,PN1\r\n"
        + "A1,01/02/2012,01/09/2024,PN6\r\n",
        "uasc.csv": UASC + "A2,M,03/04/2009,\r\n",
    }


@pytest.mark.django_db
def test_import_creates_children_episodes_and_held_reviews_with_rule_due_dates():
    result = import_years([read_year("2024", good_files())])
    assert result.ok, result.refusals
    assert result.counts == {
        "children created": 2,
        "episodes created": 3,
        "reviews created": 2,
    }
    a1 = Child.objects.get(la_child_id="A1")
    assert (a1.sex, a1.date_of_birth, a1.mother, a1.first_name) == (
        "F",
        date(2012, 2, 1),
        False,
        "Not recorded",
    )
    assert Child.objects.get(la_child_id="A2").uasc is True
    first, second = Review.objects.filter(child=a1, status=ReviewStatus.HELD).order_by("held_on")
    assert first.sequence == "first"
    assert first.due_date == review_rules.first_review_due(date(2024, 5, 10))
    assert second.sequence == "second"
    assert second.due_date == review_rules.second_review_due(date(2024, 6, 5))
    # The reviews app's own service created the next review from the held ones.
    following = Review.objects.get(child=a1, status=ReviewStatus.DUE)
    assert following.due_date == review_rules.later_review_due(date(2024, 9, 1))
    # Importing the same files again changes nothing.
    again = import_years([read_year("2024", good_files())])
    assert again.ok and again.counts == {}
    assert CareEpisode.objects.count() == 3 and Review.objects.filter(status="held").count() == 2


@pytest.mark.django_db
def test_bad_rows_change_nothing_and_every_one_is_reported():
    CareEpisodeFactory(child=ChildFactory(la_child_id="OLD1"))
    before = (Child.objects.count(), CareEpisode.objects.count(), Review.objects.count())
    files = good_files()
    files["header.csv"] += "B1,X,01/01/2010,WBRI,UN5,,\r\n"  # unknown code (SEX)
    files["episodes.csv"] += (
        # overlapping episodes: A2's second episode starts inside the first, which is open
        "A2,01/08/2024,S,V2,N8,K3,PR4,,,,,TW4 4DD,SC654321\r\n"
        # malformed date
        "A1,2024-12-01,P,V2,N1,U6,PR4,,,,TW1 1AA,TW5 5EE,SC1\r\n"
        # unknown placement code
        "A1,01/12/2024,P,V2,N1,Q9,PR4,,,,TW1 1AA,TW5 5EE,SC1\r\n"
    )
    files["reviews.csv"] += "A1,01/02/2012,01/03/2024,PN1\r\n"  # before care began
    files["bad_uasc.csv"] = "CHILD,SEX,DOB\r\nA2,M,03/04/2009\r\n"  # a missing column
    result = import_years([read_year("2024", files)])
    assert not result.ok and result.counts == {}
    reasons = {(r.file, r.line): r.reason for r in result.refusals}
    assert reasons[("header.csv", 4)] == "unknown code in SEX: 'X'"
    assert reasons[("episodes.csv", 6)].startswith("malformed date in DECOM")
    assert reasons[("episodes.csv", 7)] == "unknown code in PLACE: 'Q9'"
    assert reasons[("reviews.csv", 4)] == "review before the child's care began"
    assert reasons[("bad_uasc.csv", 1)] == "missing column DUC in the UASC file"
    # Both overlapping rows are refused: the first is left open, the second starts inside it.
    assert reasons[("episodes.csv", 4)] == "DEC: Only the latest episode can be open."
    assert reasons[("episodes.csv", 5)] == "DECOM: This episode overlaps the previous one."
    assert len(result.refusals) == 7
    after = (Child.objects.count(), CareEpisode.objects.count(), Review.objects.count())
    assert after == before


@pytest.mark.django_db
def test_export_layout_dates_and_episodes_open_at_year_end():
    child = ChildFactory(la_child_id="E1", date_of_birth=date(2014, 3, 9), sex="F", mother=False)
    CareEpisodeFactory(
        child=child,
        start=date(2024, 11, 2),
        end=date(2025, 5, 6),
        reason_ceased="E4A",
        placement_urn="SC1",
        home_postcode="TW1 1AA",
        placement_postcode="TW2 2BB",
    )
    files = export_files(CollectionYear(2024))
    assert list(files) == ["header.csv", "episodes.csv", "reviews.csv", "uasc.csv"]
    assert files["header.csv"].splitlines() == [
        ",".join(COLUMNS["Header"]),
        "E1,F,09/03/2014,WBRI,UN5,0,",
    ]
    # Ends after 31 March 2025: written open in the 2024 to 2025 return, ended in the next.
    assert files["episodes.csv"].splitlines()[1] == (
        "E1,02/11/2024,S,C2,N1,U6,PR1,,,,TW1 1AA,TW2 2BB,SC1"
    )
    next_year = export_files(CollectionYear(2025))["episodes.csv"].splitlines()[1]
    assert next_year == "E1,02/11/2024,S,C2,N1,U6,PR1,06/05/2025,E4A,,TW1 1AA,TW2 2BB,SC1"
    assert export_files(CollectionYear(2026))["episodes.csv"].count("\n") == 1  # header only


@pytest.mark.django_db
def test_years_are_applied_oldest_first_and_an_open_episode_keeps_a_later_end(tmp_path):
    child = ChildFactory(la_child_id="E1", date_of_birth=date(2014, 3, 9), sex="M")
    CareEpisodeFactory(
        child=child,
        start=date(2024, 11, 2),
        end=date(2025, 5, 6),
        reason_ceased="E4A",
        placement_urn="SC1",
    )
    for year in (2024, 2025):
        call_command("export_903", str(tmp_path / str(year)), year=year)
    Child.objects.all().delete()
    # Given newest first, the 2024 return (episode open) must not undo the 2025 end.
    call_command("import_903", str(tmp_path / "2025"), str(tmp_path / "2024"))
    episode = CareEpisode.objects.get(child__la_child_id="E1")
    assert (episode.end, episode.reason_ceased) == (date(2025, 5, 6), "E4A")
    # And imported on its own afterwards, the older return still leaves the end alone.
    call_command("import_903", str(tmp_path / "2024"))
    episode.refresh_from_db()
    assert episode.end == date(2025, 5, 6)


@pytest.mark.django_db
def test_import_command_reports_refusals_and_fails(tmp_path):
    (tmp_path / "header.csv").write_text(HEADER + "A1,F,31/02/2012,WBRI,UN5,0,\r\n")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_903", str(tmp_path))
    assert not Child.objects.exists()


def test_former_foster_carer_sgo_needs_a_foster_placement():
    """903 rule 516, found by the DfE validator on generated data and now a service rule."""
    from iro import episode_rules as rules

    episode = rules.Episode(
        start=date(2024, 1, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="K2",
        placement_provider="PR4",
        end=date(2024, 6, 1),
        reason_ceased="E45",
    )
    assert "reason_ceased" in rules.episode_problems(episode, date(2010, 1, 1))
    assert "reason_ceased" not in rules.episode_problems(
        episode.with_(placement_type="U4"), date(2010, 1, 1)
    )
