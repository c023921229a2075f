"""Races on one submission, with real concurrent transactions: two threads, each with its own
database connection, released together by a barrier (SQLite: the test database is a file, and
IMMEDIATE transactions queue the second writer; PostgreSQL: the case row is locked). Exactly one
wins; the other is told it lost (ReviewConflict, or the service's own refusal) and leaves nothing
behind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from sanxiang.accounts.choices import Role
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType
from sanxiang.cases.choices import DocumentKind as D
from sanxiang.cases.models import Case
from sanxiang.cases.testing import walk_to
from sanxiang.ledger.services import history
from sanxiang.review import services as review
from sanxiang.review.choices import Outcome, ReviewStatus
from sanxiang.review.models import LegalReview, Opinion
from sanxiang.review.testing import ALL_OK, TEXTS, findings_with_problem, submit
from sanxiang.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _render_later(settings, tmp_path) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def race(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at once, each in its own thread and connection; each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(n: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results


def proposed(cw) -> Case:
    case = walk_to(cw, S.EXAMINATION)
    services.update_case(cw.user("unit_head"), case.pk, {
        "is_major": True, "major_reason": "社会影响较大", "proposed_type": DecisionType.PENALTY,
        "proposed_penalties": ["warning", "fine"], "proposed_fine": Decimal("5000"), "proposed_basis": [cw.article.pk]})
    return case


def events(case: Case, event_type: str) -> int:
    return history(case).filter(event_type=event_type).count()


def test_two_reviewers_giving_opinions_at_once_one_wins(cw) -> None:
    first, second = cw.user("reviewer"), make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    case = proposed(cw)
    sent = submit(cw.user("unit_head"), case.pk, reviewer=first)
    results = race(
        lambda: review.give_opinion(first, sent.pk, outcome=Outcome.AGREE, findings=ALL_OK, text="同意拟处理意见。"),
        lambda: review.give_opinion(second, sent.pk, outcome=Outcome.PROBLEMS, findings=findings_with_problem(),
                                    problems="裁量偏重", text="存在问题。"),
    )
    won = [r for r in results if isinstance(r, Opinion)]
    lost = [r for r in results if not isinstance(r, Opinion)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], review.ReviewConflict), repr(lost[0])
    assert "已由他人处理" in str(lost[0])
    opinion = Opinion.objects.get(review=sent)  # exactly one
    assert opinion.pk == won[0].pk
    sent.refresh_from_db()
    agreed = opinion.outcome == Outcome.AGREE
    assert sent.status == (ReviewStatus.PASSED if agreed else ReviewStatus.PROBLEMS)
    assert opinion.reviewer == (first if agreed else second)
    assert (events(case, "case.pass_legal_review"), events(case, "case.return_legal_review")) == \
        ((1, 0) if agreed else (0, 1))
    assert case.documents.filter(kind=D.LEGAL_REVIEW_OPINION).count() == 1
    assert Case.objects.get(pk=case.pk).state == S.EXAMINATION


def test_two_handlers_submitting_at_once_make_one_submission(cw) -> None:
    case = proposed(cw)
    head, officer = cw.user("unit_head"), cw.user("officer")
    results = race(lambda: review.submit(head, case.pk, TEXTS), lambda: review.submit(officer, case.pk, TEXTS))
    won = [r for r in results if isinstance(r, LegalReview)]
    lost = [r for r in results if not isinstance(r, LegalReview)]
    assert len(won) == 1 and len(lost) == 1, results
    # The loser waited for the winner's lock and then found the case already under review.
    assert isinstance(lost[0], ServiceError) and "法制审核" in str(lost[0]), repr(lost[0])
    assert LegalReview.objects.filter(case=case).count() == 1 and events(case, "case.submit_legal_review") == 1
    assert Case.objects.get(pk=case.pk).state == S.LEGAL_REVIEW
