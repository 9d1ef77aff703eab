"""The SSDA903 and CIN returns hold every child, restricted children included. Downloading one
needs reporting.download_statutory_returns (the performance officer's role), the download page
says so before the file is made, and every download is recorded: who, when, which return and
how many restricted children it held (reporting.ReturnDownload, and each restricted child's
access log)."""

import io
import zipfile
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from iro.models import AccessLog
from iro.roles import Role, group_name
from reporting.models import ReturnDownload, ReturnKind
from tests.iro.factories import CareEpisodeFactory, ChildFactory, make_user
from tests.protection.factories import ProtectionPlanFactory

pytestmark = pytest.mark.django_db

ROLES_WITHOUT = [
    "iro_allocated",
    "iro_other",
    "team_manager",
    "head_of_service",
    "board_member",
    "administrator",
]


@pytest.fixture
def world():
    """Two looked-after children in 2024-25, one restricted; each with a CP plan in the year."""
    open_child = ChildFactory(la_child_id="OPEN1", first_name="Olive")
    secret = ChildFactory(
        la_child_id="SECRET1", first_name="Saffron", upn="A123456789012", restricted=True
    )
    for child in (open_child, secret):
        CareEpisodeFactory(child=child, start=date(2024, 6, 1))
        ProtectionPlanFactory(child=child, start=date(2024, 7, 1))
    return open_child, secret


def _zip_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist())


def test_only_the_performance_officer_role_holds_the_permission(db):
    holders = Group.objects.filter(
        permissions__codename="download_statutory_returns",
        permissions__content_type__app_label="reporting",
    )
    assert list(holders.values_list("name", flat=True)) == [group_name(Role.PERFORMANCE_OFFICER)]


def test_the_download_page_says_what_the_file_holds_before_it_is_made(
    world, performance_officer, login
):
    client = login(performance_officer)
    for name in ("reporting:returns-903-download", "reporting:returns-cin-download"):
        response = client.get(reverse(name, args=[2024]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "all 2 children in the return, including 1 restricted child" in html
        assert "Your download will be recorded" in html
        assert "SECRET1" not in html and "Saffron" not in html
    assert not ReturnDownload.objects.exists()
    home = client.get(reverse("reporting:returns-home") + "?year=2024").content.decode()
    assert "include restricted children" in home
    assert reverse("reporting:returns-903-download", args=[2024]) in home


def test_the_903_return_is_complete_and_its_download_recorded(world, performance_officer, login):
    _open, secret = world
    client = login(performance_officer)
    response = client.post(reverse("reporting:returns-903-zip", args=[2024]))
    assert response.status_code == 200
    text = _zip_text(response.content)
    assert "OPEN1" in text and "SECRET1" in text  # restricted children are in the return
    download = ReturnDownload.objects.get()
    assert (download.user, download.kind, download.year) == (
        performance_officer,
        ReturnKind.SSDA903,
        2024,
    )
    assert (download.children, download.restricted) == (2, 1)
    assert download.at is not None
    log = AccessLog.objects.get(user=performance_officer)
    assert log.child == secret and log.action == "ssda903 return download"
    home = client.get(reverse("reporting:returns-home")).content.decode()
    assert "Recent downloads of returns" in home and performance_officer.get_full_name() in home


def test_the_cin_return_is_complete_and_its_download_recorded(world, performance_officer, login):
    _open, secret = world
    response = login(performance_officer).post(reverse("reporting:returns-cin-xml", args=[2024]))
    assert response.status_code == 200
    assert b"SECRET1" in response.content or b"A123456789012" in response.content
    download = ReturnDownload.objects.get()
    assert (download.kind, download.children, download.restricted) == (ReturnKind.CIN, 2, 1)
    assert list(AccessLog.objects.values_list("child_id", flat=True)) == [secret.pk]


def test_a_file_is_made_only_by_the_download_button(world, performance_officer, login):
    client = login(performance_officer)
    for name in ("reporting:returns-903-zip", "reporting:returns-cin-xml"):
        assert client.get(reverse(name, args=[2024])).status_code == 405
    assert not ReturnDownload.objects.exists()


def test_returns_staff_without_the_permission_cannot_download(world, login):
    """Someone who manages returns (checks, imports) but has not been given the statutory
    download permission: no download page, no file, nothing recorded, no link."""
    clerk = make_user(None, username="clerk")
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="reporting", codename="manage_returns")
    )
    client = login(clerk)
    assert client.get(reverse("reporting:returns-home")).status_code == 200
    home = client.get(reverse("reporting:returns-home")).content.decode()
    assert reverse("reporting:returns-903-download", args=[2024]) not in home
    for name in ("reporting:returns-903-download", "reporting:returns-cin-download"):
        assert client.get(reverse(name, args=[2024])).status_code == 403
    for name in ("reporting:returns-903-zip", "reporting:returns-cin-xml"):
        assert client.post(reverse(name, args=[2024])).status_code == 403
    assert not ReturnDownload.objects.exists()


@pytest.mark.parametrize("role", ROLES_WITHOUT)
def test_other_roles_cannot_download_a_return(role, personas, world, login):
    client = login(personas[role])
    for name in ("reporting:returns-903-download", "reporting:returns-cin-download"):
        assert client.get(reverse(name, args=[2024])).status_code == 403
    for name in ("reporting:returns-903-zip", "reporting:returns-cin-xml"):
        assert client.post(reverse(name, args=[2024])).status_code == 403
    assert not ReturnDownload.objects.exists() and not AccessLog.objects.exists()
