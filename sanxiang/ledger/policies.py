"""Who may do what with the ledger beyond reading it (reading goes through ``accounts.access``).

Entries are never writable by anyone: they are written only by the services, inside the
transaction of the change they record.
"""

from sanxiang.accounts.access import is_active_member
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User


def may_witness(user: User | None) -> bool:
    """Whether ``user`` may have the witness (司法局) cosign a checkpoint: a signed-in supervisor.

    The same rule as :func:`sanxiang.ledger.checkpoints.cosign`, asked before anything is signed so
    that an outsider's request changes nothing and is answered 403.
    """
    return is_active_member(user) and user.has_role(Role.SUPERVISOR)
