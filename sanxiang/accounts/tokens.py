"""API bearer tokens: issue, check and revoke.

Only the SHA-256 of a key is stored (:class:`ApiToken`); the plain key is returned once, by
:func:`issue_token`, and never again. A token works until it expires or is revoked, and only for
an active user who belongs to an agency (the same rule as a session, see ``access.is_active_member``).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.access import is_active_member
from sanxiang.accounts.models import ApiToken, User
from sanxiang.ledger.services import Subject, record

DEFAULT_LIFETIME = timedelta(days=30)
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to tell a live token from an abandoned one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def issue_token(user: User, name: str = "API",
                lifetime: timedelta = DEFAULT_LIFETIME) -> tuple[str, ApiToken]:
    """Create a token for ``user``; return the plain key (shown once) and the stored row.

    Raises PermissionDenied when the user may not use the platform (inactive or no agency).
    """
    if not is_active_member(user):
        raise PermissionDenied("账户已停用或未归属任何执法主体，不能签发令牌")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=(name or "API")[:100], prefix=key[:8], key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + lifetime,
    )
    record(event_type="account.token.issued", actor=user, agency=user.agency, summary=f"签发API令牌“{token.name}”",
           subject=Subject.of(token, f"{token.prefix}…", snapshot=False))
    return key, token


def token_for_key(key: str) -> ApiToken | None:
    """The live token whose key is ``key``, with its user loaded, or None.

    None when the key is unknown, revoked, expired, or its user may no longer use the platform.
    Marks the token as used.
    """
    if not key:
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("user", "user__agency__jurisdiction")
             .filter(key_hash=ApiToken.hash_key(key), expires_at__gt=now).first())
    if token is None or not is_active_member(token.user):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    """Revoke ``token`` for good: the row is deleted, so its key no longer matches anything."""
    record(event_type="account.token.revoked", actor=token.user, agency=token.user.agency,
           summary=f"吊销API令牌“{token.name}”", subject=Subject.of(token, f"{token.prefix}…", snapshot=False))
    ApiToken.objects.filter(pk=token.pk).delete()
