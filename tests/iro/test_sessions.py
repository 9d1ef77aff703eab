"""The session store (iro.sessions) behaves as Django's session backends in every path."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from iro.sessions import KEY_PREFIX, SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_new_session_is_empty_and_saving_it_writes_the_database_and_the_cache():
    s = SessionStore()
    assert s.get("x") is None
    assert s.is_empty()
    s["x"] = 1
    s.save()
    assert Session.objects.filter(session_key=s.session_key).count() == 1
    entry = cache.get(KEY_PREFIX + s.session_key)
    assert entry["session"] == {"x": 1}
    assert SessionStore(s.session_key)["x"] == 1


def test_a_session_only_in_the_database_is_loaded_and_put_back_in_the_cache():
    s = SessionStore()
    s["x"] = 2
    s.save()
    cache.clear()
    again = SessionStore(s.session_key)
    assert again["x"] == 2
    assert again.get_expiry_age() > 0
    assert cache.get(KEY_PREFIX + s.session_key)["session"] == {"x": 2}


def test_a_missing_or_odd_key_gives_an_empty_session_and_a_new_key_on_saving():
    for key in ("nosuchsessionkey12345", "x" * 8, "bad key\n with spaces", "é" * 40, "short"):
        s = SessionStore(key)
        assert s.get("x") is None, key
        assert dict(s.items()) == {}
        s["y"] = 1
        s.save()
        assert s.session_key != key
        assert SessionStore(s.session_key)["y"] == 1


def test_an_expired_session_is_not_loaded_from_the_cache_or_the_database():
    s = SessionStore()
    s["x"] = 3
    s.set_expiry(300)
    s.save()
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        again = SessionStore(s.session_key)
        assert again.get("x") is None
        assert again.session_key is None


def test_flush_removes_the_session_everywhere_and_gives_a_fresh_key():
    s = SessionStore()
    s["x"] = 4
    s.save()
    old = s.session_key
    s.flush()
    assert s.session_key is None
    assert not Session.objects.filter(session_key=old).exists()
    assert cache.get(KEY_PREFIX + old) is None
    assert SessionStore(old).get("x") is None


def test_cycle_key_keeps_the_data_under_a_new_key_and_drops_the_old():
    s = SessionStore()
    s["x"] = 5
    s.save()
    old = s.session_key
    s.cycle_key()
    assert s.session_key != old
    assert SessionStore(s.session_key)["x"] == 5
    assert SessionStore(old).get("x") is None
    assert not Session.objects.filter(session_key=old).exists()


def test_cycle_key_on_a_session_never_saved_saves_it():
    s = SessionStore()
    s["x"] = 6
    s.cycle_key()
    assert SessionStore(s.session_key)["x"] == 6


def test_an_empty_session_saved_is_readable_and_exists():
    s = SessionStore()
    s.save()
    assert s.session_key
    assert s.exists(s.session_key)
    assert dict(SessionStore(s.session_key).items()) == {}
    assert not s.exists("nosuchsessionkey12345")
