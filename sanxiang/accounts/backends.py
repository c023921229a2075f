"""Authentication with lockout: after N consecutive failures an account is locked for M minutes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from sanxiang.accounts.models import User


class AccountLocked(PermissionDenied):
    """Raised by the backend while an account is locked.

    Django's ``authenticate()`` swallows it and returns None, so callers that want to tell the
    user why (login form, API token endpoint) ask :func:`lock_message` after a failure.
    """

    def __init__(self, user: User) -> None:
        super().__init__(_message(user))


def _message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return f"连续登录失败次数过多，账户已锁定至 {until}，请稍后再试或联系系统管理员。"


def lock_message(username: str | None) -> str | None:
    """The Chinese lock notice for ``username`` if that account is locked now, else None."""
    user = User.objects.filter(username=username).first() if username else None
    return _message(user) if user is not None and user.is_locked() else None


class LockoutBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: object) -> User | None:
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and user.is_locked():
            # Raising stops Django trying further backends; the password is not even checked,
            # so a locked account cannot be probed.
            raise AccountLocked(user)
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and authenticated is None:
            record_failure(user)
        elif authenticated is not None and (authenticated.failed_logins or authenticated.locked_until):
            User.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
        return authenticated


def record_failure(user: User) -> None:
    """Count a failed login; lock the account when the count reaches the limit."""
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOCKOUT_MAX_FAILURES:
        until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=until)
