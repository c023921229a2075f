"""The only place that changes cases. Pages, API, commands and the demo seed call these.

Every function runs in one transaction that checks the rules, changes the rows and writes the
ledger entry; on any error nothing is changed and nothing is recorded.
"""

from sanxiang.accounts.services import ServiceError
from sanxiang.cases.services.documents import issuable_documents, issue_document
from sanxiang.cases.services.editing import (
    add_party,
    decide_recusal,
    register_case,
    remove_party,
    request_recusal,
    set_handlers,
    update_case,
    update_party,
)
from sanxiang.cases.services.transitions import TransitionError, allowed_transitions, perform

__all__ = [
    "ServiceError", "TransitionError", "add_party", "allowed_transitions", "decide_recusal", "issuable_documents",
    "issue_document", "perform", "register_case", "remove_party", "request_recusal", "set_handlers",
    "update_case", "update_party",
]
