"""An IRO's profile for children: the form's checks, the photo kept as a small JPEG, who reads it."""

import io

import pytest
from PIL import Image

from letters.models import IroProfile
from letters.photos import PHOTO_MAX_BYTES
from tests.conftest import client_for
from tests.letters.helpers import PROFILE, image_file

pytestmark = pytest.mark.django_db
URL = "/letters/profile/"


def test_an_iro_writes_their_profile_with_a_photo_stored_as_a_small_jpeg(iro_allocated):
    client = client_for(iro_allocated)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {**PROFILE, "photo": image_file(size=(1800, 1200))})
    assert response.status_code == 302
    profile = IroProfile.objects.get(user=iro_allocated)
    assert profile.who_i_am == PROFILE["who_i_am"]
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 400)  # re-encoded at most 600 pixels a side
    photo = client.get(f"/letters/profiles/{iro_allocated.pk}/photo/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: image_file("cat.gif", kind="GIF"), "“cat.gif” is not a JPEG or PNG image"),
        (
            lambda: image_file("notes.png").__class__(
                "notes.png", b"not an image at all", content_type="image/png"
            ),
            "“notes.png” is not a JPEG or PNG image",
        ),
        (lambda: image_file("huge.png", size=(4100, 4000)), "“huge.png” is 4100 by 4000 pixels"),
    ],
)
def test_a_bad_photo_is_refused_by_name_and_the_text_typed_is_kept(iro_allocated, upload, message):
    response = client_for(iro_allocated).post(URL, {**PROFILE, "photo": upload()})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'class="govuk-error-summary"' in body
    assert body.count("govuk-error-summary__list") == 1
    assert PROFILE["who_i_am"] in body  # nothing typed is lost
    assert not IroProfile.objects.exists()  # nothing half-written


def test_a_photo_over_2_mb_is_refused_by_name(iro_allocated):
    big = image_file("big.png").__class__(
        "big.png", b"\x89PNG" + b"0" * PHOTO_MAX_BYTES, content_type="image/png"
    )
    response = client_for(iro_allocated).post(URL, {**PROFILE, "photo": big})
    assert response.status_code == 400
    assert "“big.png” is larger than 2 MB" in response.content.decode()


def test_each_missing_part_is_named(iro_allocated):
    response = client_for(iro_allocated).post(URL, {"who_i_am": "", "what_i_do": "x"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter who you are" in body
    assert "Enter how a child can reach you" in body
    assert "Enter what you do" not in body


def test_a_new_photo_replaces_the_old_file_and_remove_takes_it_away(
    iro_allocated, django_capture_on_commit_callbacks
):
    client = client_for(iro_allocated)
    client.post(URL, {**PROFILE, "photo": image_file("one.png")})
    first = IroProfile.objects.get().photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**PROFILE, "photo": image_file("two.jpg", kind="JPEG")})
    profile = IroProfile.objects.get()
    assert profile.photo.name != first
    assert not profile.photo.storage.exists(first)
    client.post(URL, {**PROFILE, "remove_photo": "on"})
    profile.refresh_from_db()
    assert not profile.photo


def test_a_manager_reads_the_team_profiles_and_others_do_not(
    iro_allocated, iro_other, team_manager, performance_officer, board_member
):
    client_for(iro_allocated).post(URL, PROFILE)
    manager = client_for(team_manager)
    listing = manager.get("/letters/profiles/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Alice Adeyemi" in body and "Bob Bennett" in body
    assert body.count("Not written") == 1  # Bob has none
    page = manager.get(f"/letters/profiles/{iro_allocated.pk}/")
    assert PROFILE["what_i_do"] in page.content.decode()
    # Another IRO does not read a colleague's profile; other roles get nothing.
    assert client_for(iro_other).get(f"/letters/profiles/{iro_allocated.pk}/").status_code == 404
    assert client_for(iro_other).get(URL).status_code == 200  # their own
    for user in (performance_officer, board_member):
        assert client_for(user).get(f"/letters/profiles/{iro_allocated.pk}/").status_code == 403
        assert client_for(user).get(URL).status_code == 403
    assert client_for(team_manager).get(URL).status_code == 403  # managers keep no profile


def test_the_photo_is_read_back_through_storage_not_a_public_url(iro_allocated, iro_other):
    client_for(iro_allocated).post(URL, {**PROFILE, "photo": image_file()})
    photo_url = f"/letters/profiles/{iro_allocated.pk}/photo/"
    response = client_for(iro_allocated).get(photo_url)
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert client_for(iro_other).get(photo_url).status_code == 404
