"""Lockout after repeated failed logins, and the password policy."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from sanxiang.accounts.backends import lock_message
from sanxiang.accounts.models import User
from sanxiang.testing import PASSWORD


def _fail(username: str, times: int) -> None:
    for _ in range(times):
        assert authenticate(username=username, password="wrong-Password-1") is None


def test_five_failures_lock_the_account_for_fifteen_minutes(world) -> None:
    _fail("officer", 4)
    assert authenticate(username="officer", password=PASSWORD) is not None  # success resets
    _fail("officer", 5)
    user = User.objects.get(username="officer")
    remaining = user.locked_until - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    # While locked even the right password is refused, and the reason can be told.
    assert authenticate(username="officer", password=PASSWORD) is None
    assert "账户已锁定" in lock_message("officer")
    assert lock_message("admin") is None


def test_lock_expires(world) -> None:
    _fail("officer", 5)
    User.objects.filter(username="officer").update(locked_until=timezone.now() - timedelta(seconds=1))
    assert authenticate(username="officer", password=PASSWORD) is not None
    assert User.objects.get(username="officer").locked_until is None


@override_settings(LOCKOUT_MAX_FAILURES=2, LOCKOUT_MINUTES=60)
def test_limits_are_configurable(world) -> None:
    _fail("admin", 2)
    user = User.objects.get(username="admin")
    assert user.locked_until - timezone.now() > timedelta(minutes=59)


def test_other_accounts_unaffected(world) -> None:
    _fail("officer", 5)
    assert authenticate(username="admin", password=PASSWORD) is not None


def test_login_page_shows_lock_message(world, client) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer", "password": "nope-Nope-1"})
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 200
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "ok"),
    [("short1A!", False), ("alllowercaseletters", False), ("lowercase123456", False),
     ("Lowercase123456", True), ("lower-case-12345", True), ("12345678901234", False)],
)
def test_password_policy(password: str, ok: bool) -> None:
    if ok:
        validate_password(password)
        return
    with pytest.raises(ValidationError):
        validate_password(password)


def test_passwords_are_hashed_with_argon2(world) -> None:
    assert User.objects.get(username="officer").password.startswith("argon2$")
