"""The unified numbering rule: patterns, and numbers without gaps or duplicates when many
officers' filings are approved at the same moment (threads with their own connections)."""

import contextlib
import re
import threading

import pytest
from django.db import connection, transaction

from sanxiang.cases import services
from sanxiang.cases.choices import CaseState
from sanxiang.cases.models import Case, CaseSettings
from sanxiang.cases.numbering import PatternError, check_pattern, claim, format_number, next_case_number
from sanxiang.cases.testing import build_case_world, walk_to


@pytest.fixture(autouse=True)
def _render_later(settings) -> None:
    # These tests are about the state machine; documents are issued (numbered, frozen, ledgered)
    # but rendered by the worker, which these tests do not run (rendering: test_documents.py).
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def test_pattern_placeholders() -> None:
    values = {"机关简称": "临市监", "类别简称": "罚", "年": "2026"}
    assert format_number("{机关简称}{类别简称}〔{年}〕{序号}号", values, 7) == "临市监罚〔2026〕7号"
    assert format_number("{机关简称}{类别简称}〔{年}〕{序号:4}号", values, 7) == "临市监罚〔2026〕0007号"
    for bad, message in [("{机关简称}〔{年}〕号", "序号"), ("{机关}{年}{序号}", "无法识别"),
                         ("{机关简称}{序号}号", "{年}"), ("{文书简称}{年}{序号}", "不能使用"),
                         ("{机关简称}〔{年}〕{序号}号", "类别简称")]:
        with pytest.raises(PatternError, match=re.escape(message)):
            check_pattern(bad)


def test_agency_pattern_and_series_per_kind_and_year(world) -> None:
    CaseSettings.objects.create(agency=world.agency, case_number_pattern="{机关简称}{类别简称}字〔{年}〕第{序号:3}号",
                                category_short_names={"penalty": "处"})
    with transaction.atomic():
        first = next_case_number(world.agency, "penalty", 2026)
        second = next_case_number(world.agency, "penalty", 2026)
        simple = next_case_number(world.agency, "penalty_simple", 2026)
        next_year = next_case_number(world.agency, "penalty", 2027)
        other = next_case_number(world.other_agency, "penalty", 2026)
    short = world.agency.short_name
    assert first == f"{short}处字〔2026〕第001号" and second == f"{short}处字〔2026〕第002号"
    assert simple.endswith("〔2026〕第001号") and "简罚" in simple
    assert next_year == f"{short}处字〔2027〕第001号"
    assert other.endswith("罚〔2026〕1号")


@pytest.mark.django_db(transaction=True)
def test_claim_needs_a_transaction(world) -> None:
    with pytest.raises(RuntimeError, match="事务"):
        claim(world.agency, "case:penalty", 2026)


def test_a_rolled_back_filing_gives_its_number_back(world) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        claim(world.agency, "case:penalty", 2026)
        1 / 0  # noqa: B018 - the filing fails after taking its number
    with transaction.atomic():
        assert claim(world.agency, "case:penalty", 2026) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_consecutive_numbers() -> None:
    from sanxiang.testing import build_world

    cw = build_case_world(build_world())
    cases = [walk_to(cw, CaseState.FILING_APPROVAL) for _ in range(24)]
    head = cw.user("unit_head")
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def approve(chunk: list[Case], fail_every: int) -> None:
        try:
            barrier.wait()
            for n, case in enumerate(chunk):
                if fail_every and n % fail_every == 0:
                    _failing_filing(cw)  # takes a number, then rolls back
                _retry(lambda pk=case.pk: services.perform(head, pk, "approve_filing"))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(cases[i::6], 2 if i % 2 else 0)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(int(re.search(r"〕(\d+)号", c.case_number).group(1))
                     for c in Case.objects.filter(pk__in=[c.pk for c in cases]))
    assert numbers == list(range(1, 25))


def _failing_filing(cw) -> None:
    with contextlib.suppress(ValueError), transaction.atomic():
        next_case_number(cw.world.agency, "penalty", 2026)
        raise ValueError("filing failed")


def _retry(call, attempts: int = 20):
    """SQLite answers a write that waited too long with "database is locked"; retry like a user."""
    from django.db import OperationalError

    for attempt in range(attempts):
        try:
            return call()
        except OperationalError:
            if attempt == attempts - 1:
                raise
    return None
