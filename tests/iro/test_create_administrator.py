"""The first administrator of a real deployment is made from the command line."""

import pytest
from django.core.management import CommandError, call_command

from iro.models import User
from iro.roles import Role

pytestmark = pytest.mark.django_db


def test_create_administrator_makes_an_administrator_who_is_not_a_superuser(monkeypatch):
    monkeypatch.setenv("ADMINISTRATOR_PASSWORD", "a-long-unusual-passphrase-42")
    call_command("create_administrator", "--username", "first-admin", "--no-input")
    user = User.objects.get(username="first-admin")
    assert user.has_role(Role.ADMINISTRATOR)
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a-long-unusual-passphrase-42")
    assert list(user.groups.values_list("name", flat=True)) == ["Administrator"]


def test_create_administrator_refuses_a_weak_password_and_an_existing_name(monkeypatch):
    monkeypatch.setenv("ADMINISTRATOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("create_administrator", "--username", "weak", "--no-input")
    assert not User.objects.filter(username="weak").exists()
    monkeypatch.setenv("ADMINISTRATOR_PASSWORD", "a-long-unusual-passphrase-42")
    call_command("create_administrator", "--username", "taken", "--no-input")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_administrator", "--username", "TAKEN", "--no-input")
    assert User.objects.filter(username__iexact="taken").count() == 1
