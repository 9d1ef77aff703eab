"""The "my IRO" letter: one for each allocation or change of a child's CLA IRO, on the child's
record, printable and as a Word file, and only for those who may see the child."""

import io
from datetime import date

import pytest
from docx import Document

from escalations.models import ResponderLevel
from iro.models import AllocationRole
from iro.roles import Role
from iro.services.allocations import allocation_allocate
from letters.models import MyIroLetter
from letters.services import profile_save
from tests.conftest import client_for
from tests.escalations.factories import make_responder, raise_irp
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.letters.helpers import PROFILE, image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(db):
    child = ChildFactory(first_name="Samira", last_name="Okoro", date_of_birth=date(2016, 5, 1))
    CareEpisodeFactory(child=child, start=date(2024, 1, 10))
    return child


def test_one_letter_for_each_allocation_and_change_of_the_cla_iro(
    sam, iro_allocated, iro_other, team_manager
):
    first = allocation_allocate(
        child=sam, iro=iro_allocated, role=AllocationRole.CLA, start=date(2024, 1, 11)
    )
    assert MyIroLetter.objects.count() == 1
    second = allocation_allocate(
        child=sam,
        iro=iro_other,
        role=AllocationRole.CLA,
        start=date(2024, 6, 3),
        reason="Caseload balancing",
        by=team_manager,
    )
    third = allocation_allocate(
        child=sam,
        iro=iro_allocated,
        role=AllocationRole.CLA,
        start=date(2024, 9, 2),
        reason="Returned to the first IRO",
        by=team_manager,
    )
    letters = list(MyIroLetter.objects.order_by("from_date"))
    assert [(x.allocation_id, x.iro_id, x.previous_iro_id, x.from_date) for x in letters] == [
        (first.pk, iro_allocated.pk, None, date(2024, 1, 11)),
        (second.pk, iro_other.pk, iro_allocated.pk, date(2024, 6, 3)),
        (third.pk, iro_allocated.pk, iro_other.pk, date(2024, 9, 2)),
    ]
    # A CP chair is not the child's IRO for their reviews: no letter.
    allocation_allocate(child=sam, iro=iro_other, role=AllocationRole.CP, start=date(2024, 9, 2))
    assert MyIroLetter.objects.count() == 3


def test_a_refused_allocation_leaves_no_letter(sam, iro_allocated):
    allocation_allocate(
        child=sam, iro=iro_allocated, role=AllocationRole.CLA, start=date(2024, 2, 1)
    )
    with pytest.raises(Exception):  # noqa: B017 - the same IRO again is refused
        allocation_allocate(child=sam, iro=iro_allocated, role=AllocationRole.CLA, reason="again")
    assert MyIroLetter.objects.count() == 1


def test_the_letter_is_on_the_record_printable_and_a_word_file_with_the_profile(
    sam, iro_allocated, iro_other
):
    profile_save(user=iro_allocated, photo=image_file(), **PROFILE)
    allocation_allocate(child=sam, iro=iro_other, role=AllocationRole.CLA, start=date(2024, 1, 11))
    allocation_allocate(
        child=sam,
        iro=iro_allocated,
        role=AllocationRole.CLA,
        start=date(2024, 3, 4),
        reason="Leave",
    )
    letter = MyIroLetter.objects.get(iro=iro_allocated)
    client = client_for(iro_allocated)
    record = client.get(f"/children/{sam.pk}/").content.decode()
    assert f"/letters/children/{sam.pk}/my-iro/{letter.pk}/" in record
    page = client.get(f"/letters/children/{sam.pk}/my-iro/{letter.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Hello Samira, I am your IRO" in body
    assert PROFILE["how_to_reach_me"] in body
    assert "Bob Bennett was your IRO before me" in body
    assert "letters/letters.css" in body  # the print stylesheet
    response = client.get(f"/letters/children/{sam.pk}/my-iro/{letter.pk}.docx")
    assert response.status_code == 200
    assert "Samira" not in response["Content-Disposition"]  # no name in the file name
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dear Samira," in text
    assert "Hello Samira, I am your IRO" in text
    for part in PROFILE.values():
        assert part in text
    assert len(document.inline_shapes) == 1  # the photo


def test_who_may_read_a_childs_letter(
    sam, iro_allocated, iro_other, team_manager, performance_officer, board_member
):
    allocation_allocate(
        child=sam, iro=iro_allocated, role=AllocationRole.CLA, start=date(2024, 1, 11)
    )
    letter = MyIroLetter.objects.get()
    responder = make_responder(ResponderLevel.SW_TEAM_MANAGER, username="sam-r")
    raise_irp(iro=iro_allocated, children=[sam], responder=responder)
    head = make_user(Role.HEAD_OF_SERVICE, username="harriet")
    page = f"/letters/children/{sam.pk}/my-iro/{letter.pk}/"
    word = f"/letters/children/{sam.pk}/my-iro/{letter.pk}.docx"
    expected = {
        iro_allocated: 200,
        team_manager: 200,
        iro_other: 404,  # not their child: as the child's record
        performance_officer: 403,
        board_member: 403,
        responder: 403,  # sees the child in the IRP, not their letters
        head: 403,
    }
    got = {user: client_for(user).get(page).status_code for user in expected}
    assert got == expected
    got_word = {user: client_for(user).get(word).status_code for user in expected}
    assert got_word == expected
    # The letter of another child answers as if it did not exist.
    other = ChildFactory()
    assert (
        client_for(iro_allocated)
        .get(f"/letters/children/{other.pk}/my-iro/{letter.pk}/")
        .status_code
        == 404
    )


def test_generated_allocations_get_their_letters_once(sam, iro_allocated, iro_other):
    from types import SimpleNamespace

    from letters import synthetic
    from tests.iro.factories import AllocationFactory

    AllocationFactory(child=sam, iro=iro_allocated, start=date(2024, 1, 11), end=date(2024, 5, 1))
    AllocationFactory(child=sam, iro=iro_other, start=date(2024, 5, 1))
    AllocationFactory(child=sam, iro=iro_other, role=AllocationRole.CP, start=date(2024, 5, 1))
    AllocationFactory(iro=iro_other, start=date(2024, 2, 1))  # another child
    said = []
    ctx = SimpleNamespace(log=said.append)
    synthetic.generate(ctx)
    synthetic.generate(ctx)
    letters = MyIroLetter.objects.order_by("child_id", "from_date")
    assert MyIroLetter.objects.count() == 3
    assert [(x.iro_id, x.previous_iro_id) for x in letters if x.child_id == sam.pk] == [
        (iro_allocated.pk, None),
        (iro_other.pk, iro_allocated.pk),
    ]
    assert said == ['letters: 3 "my IRO" letters', 'letters: 0 "my IRO" letters']


def test_the_demo_iro_has_a_profile(iro_allocated):
    from letters.demo import demo_profiles
    from letters.models import IroProfile

    demo_profiles({"iro": iro_allocated}, date(2026, 12, 7))
    demo_profiles({"iro": iro_allocated}, date(2026, 12, 7))
    assert IroProfile.objects.get(user=iro_allocated).who_i_am.startswith("Hello, I am Alice")
