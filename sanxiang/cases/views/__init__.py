"""Pages of case handling (执法办案) for officers, unit heads and agency heads; supervisors read.

Every case is fetched through the access layer (another agency's case is 404, a visible case the
user may not change is 403) and every change goes through :mod:`sanxiang.cases.services`.
"""

from sanxiang.cases.queries import due_cases_for
from sanxiang.cases.views.detail import case_detail
from sanxiang.cases.views.editing import case_create, case_edit
from sanxiang.cases.views.listing import case_list
from sanxiang.cases.views.people import (
    handlers,
    party_add,
    party_edit,
    party_remove,
    recusal_decide,
    recusal_request,
)
from sanxiang.cases.views.steps import issue_document, transition_page

__all__ = [
    "case_create", "case_detail", "case_edit", "case_list", "due_cases_for", "handlers", "issue_document",
    "party_add", "party_edit", "party_remove", "recusal_decide", "recusal_request", "transition_page",
]
