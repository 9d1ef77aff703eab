"""Password hashing, idle timeout and change history on case records."""

import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from tests.iro.factories import CareEpisodeFactory, ChildFactory


def test_service_hashes_passwords_with_argon2(settings):
    base = sys.modules["config.settings.base"]
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = make_password("a long pass phrase", hasher="argon2")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("a long pass phrase", encoded)


def test_sessions_expire_after_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The expiry is pushed on by SessionIdleRefreshMiddleware, at most once a minute.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_REFRESH_SECONDS == 60
    middleware = settings.MIDDLEWARE
    assert middleware.index("iro.middleware.SessionIdleRefreshMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_login_is_throttled_by_username_and_address_and_by_address_alone():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_case_records_keep_their_change_history():
    child = ChildFactory(first_name="Kai")
    child.first_name = "Kye"
    child.save()
    assert list(child.history.order_by("history_id").values_list("first_name", "history_type")) == [
        ("Kai", "+"),
        ("Kye", "~"),
    ]
    episode = CareEpisodeFactory(child=child)
    episode.placement_type = "U4"
    episode.save()
    assert episode.history.count() == 2


@pytest.mark.django_db
def test_history_records_the_signed_in_user(login, team_manager):
    from django.test import RequestFactory
    from simple_history.middleware import HistoryRequestMiddleware

    child = ChildFactory()
    request = RequestFactory().get("/")
    request.user = team_manager

    def edit(_request):
        child.last_name = "Changed"
        child.save()

    HistoryRequestMiddleware(edit)(request)
    assert child.history.first().history_user == team_manager
