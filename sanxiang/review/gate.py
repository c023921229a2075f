"""The gate: no major decision without a passed review of the current proposal (行政处罚法 art. 58).

It is checked twice, the same way. The service layer asks :func:`passed` before issuing a decision
document or taking a deciding transition, and says in Chinese what is missing. The database checks
it again in triggers (installed by this app's migrations, SQL below), so that no other path — an
admin page, a command, a raw ``Case.objects.update(state=…)`` — can record a decision of a major
case either: a case whose ``is_major`` is set cannot enter a decided state, get a decision date or
a 行政处罚决定书 unless a review with an open-gate status has the same proposal columns and the same
hearing end date as the case row; and ``is_major`` cannot be cleared once set.
"""

from __future__ import annotations

from django.db.models import Q

from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.cases.models import Case
from sanxiang.review.choices import GATE_OPEN
from sanxiang.review.models import LegalReview

MESSAGE = "重大执法决定未经法制审核或者审核未通过，不得作出决定（行政处罚法第五十八条）"
# A case in one of these states has had its decision recorded.
DECIDED_STATES = (CaseState.SERVICE, CaseState.EXECUTION, CaseState.CLOSED, CaseState.ARCHIVED,
                  CaseState.NO_PENALTY)
# The columns a passed review must share with the case (the review keeps a copy of them).
COMPARED = ("proposed_type", "proposed_penalties", "proposed_fine", "proposed_confiscation",
            "hearing_concluded_on")


def current_match(case: Case) -> Q:
    """Reviews whose copy of the proposal equals the case row as it is now."""
    return Q(**{name: getattr(case, name) for name in COMPARED})


def passed_review(case: Case) -> LegalReview | None:
    """The passed review of the case's current proposal, if there is one."""
    return (LegalReview.objects.filter(case_id=case.pk, status__in=GATE_OPEN).filter(current_match(case))
            .order_by("-version").first())


def passed(case: Case) -> bool:
    """Whether the gate is open for ``case``: not major, or its current proposal passed review."""
    return not case.is_major or passed_review(case) is not None


# --- the database half -----------------------------------------------------------------------

_STATES = ", ".join(f"'{s.value}'" for s in DECIDED_STATES)
_DECISION_DOC = f"'{DocumentKind.DECISION.value}'"
_GATE = (f"{MESSAGE} [review_gate]").replace("'", "''")


def _exists(row: str, same: str) -> str:
    """SQL: a passed review whose copy equals case row ``row`` (``same`` is the null-safe '=')."""
    columns = " AND ".join(f"r.{c} {same} {row}.{c}" for c in COMPARED)
    opened = ", ".join(f"'{s.value}'" for s in GATE_OPEN)
    return (f"EXISTS (SELECT 1 FROM review_legalreview r WHERE r.case_id = {row}.id "
            f"AND r.status IN ({opened}) AND {columns})")


def _decided(row: str) -> str:
    return f"({row}.state IN ({_STATES}) OR {row}.decided_on IS NOT NULL)"


SQLITE = [
    f"""CREATE TRIGGER review_gate_case_insert BEFORE INSERT ON cases_case FOR EACH ROW
        WHEN NEW.is_major AND {_decided('NEW')} AND NOT {_exists('NEW', 'IS')}
        BEGIN SELECT RAISE(ABORT, '{_GATE}'); END""",
    f"""CREATE TRIGGER review_gate_case_update BEFORE UPDATE ON cases_case FOR EACH ROW
        WHEN NEW.is_major AND {_decided('NEW')} AND NOT {_exists('NEW', 'IS')}
        BEGIN SELECT RAISE(ABORT, '{_GATE}'); END""",
    """CREATE TRIGGER review_gate_major_kept BEFORE UPDATE OF is_major ON cases_case FOR EACH ROW
        WHEN OLD.is_major AND NOT NEW.is_major
        BEGIN SELECT RAISE(ABORT, '已认定为重大执法决定的案件不能改回 [review_gate]'); END""",
    f"""CREATE TRIGGER review_gate_document BEFORE INSERT ON cases_document FOR EACH ROW
        WHEN NEW.kind = {_DECISION_DOC} AND EXISTS (SELECT 1 FROM cases_case c WHERE c.id = NEW.case_id
             AND c.is_major AND NOT {_exists('c', 'IS')})
        BEGIN SELECT RAISE(ABORT, '{_GATE}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS review_gate_case_insert", "DROP TRIGGER IF EXISTS review_gate_case_update",
               "DROP TRIGGER IF EXISTS review_gate_major_kept", "DROP TRIGGER IF EXISTS review_gate_document"]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION review_gate_case() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.is_major AND NOT NEW.is_major THEN
            RAISE EXCEPTION '已认定为重大执法决定的案件不能改回 [review_gate]' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.is_major AND {_decided('NEW')} AND NOT {_exists('NEW', 'IS NOT DISTINCT FROM')} THEN
            RAISE EXCEPTION '{_GATE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER review_gate_case BEFORE INSERT OR UPDATE ON cases_case
        FOR EACH ROW EXECUTE FUNCTION review_gate_case()""",
    f"""CREATE OR REPLACE FUNCTION review_gate_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.kind = {_DECISION_DOC} AND EXISTS (SELECT 1 FROM cases_case c WHERE c.id = NEW.case_id
               AND c.is_major AND NOT {_exists('c', 'IS NOT DISTINCT FROM')}) THEN
            RAISE EXCEPTION '{_GATE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER review_gate_document BEFORE INSERT ON cases_document
        FOR EACH ROW EXECUTE FUNCTION review_gate_document()""",
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS review_gate_case ON cases_case",
                   "DROP TRIGGER IF EXISTS review_gate_document ON cases_document",
                   "DROP FUNCTION IF EXISTS review_gate_case()", "DROP FUNCTION IF EXISTS review_gate_document()"]


def install(schema_editor, drop: bool = False) -> None:
    """Create (or drop) the triggers for the connection's database."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_DROP if drop else SQLITE
    elif vendor == "postgresql":
        statements = POSTGRESQL_DROP if drop else POSTGRESQL
    else:
        raise RuntimeError(f"法制审核闸门不支持数据库 {vendor}")
    for sql in statements:
        schema_editor.execute(sql)
