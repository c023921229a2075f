"""Publication rules as data (sanxiang.disclosure.rules): deadlines per category and profile on the
working-day calendar (holidays, make-up working days, a year an administrator entered), the
market profile's exclusions, and the publication period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.cases.models import HolidaySchedule
from sanxiang.disclosure import rules, services
from sanxiang.disclosure.choices import Category, Profile

# 30 September 2025: the National Day holiday is 1–8 October, Saturday 11 October a working day.
EVE = dt.date(2025, 9, 30)


@pytest.mark.parametrize(("profile", "category", "expected"), [
    (Profile.NATIONAL, Category.PENALTY, dt.date(2025, 10, 16)),  # 9,10,11(Sat, worked),13,14,15,16
    (Profile.NATIONAL, Category.LICENSE, dt.date(2025, 10, 16)),
    (Profile.NATIONAL, Category.COERCION, dt.date(2025, 11, 4)),
    (Profile.NATIONAL, Category.INSPECTION_RESULT, dt.date(2025, 11, 4)),
    (Profile.MARKET, Category.PENALTY, dt.date(2025, 11, 4)),
    (Profile.MARKET, Category.LICENSE, dt.date(2025, 10, 16)),
])
def test_deadline_per_category_and_profile(db, profile, category, expected) -> None:
    assert services.due_on(profile, category, EVE) == expected
    days, source = rules.rules_for(profile).deadline(category)
    assert days in (7, 20) and ("118号" in source or "5号" in source or "公示规定" in source)


def test_deadline_in_a_year_an_administrator_entered(db) -> None:
    # 2027 is beyond the calendar package: without a schedule only weekends count.
    assert services.due_on(Profile.NATIONAL, Category.PENALTY, dt.date(2027, 2, 5)) == dt.date(2027, 2, 16)
    HolidaySchedule.objects.create(year=2027, holidays=[f"2027-02-{d:02d}" for d in range(6, 14)],
                                   workdays=[], source="测试")
    # 6–13 February are holidays now: the seven working days start on Monday 15 February.
    assert services.due_on(Profile.NATIONAL, Category.PENALTY, dt.date(2027, 2, 5)) == dt.date(2027, 2, 23)


def test_market_exclusions() -> None:
    common = {"decision_type": "penalty"}
    assert "普通程序" in rules.exclusion(Profile.MARKET, "penalty", procedure="simple", penalties=["fine"], **common)
    assert "警告" in rules.exclusion(Profile.MARKET, "penalty", procedure="normal", penalties=["warning"], **common)
    assert rules.exclusion(Profile.MARKET, "penalty", procedure="normal", penalties=["warning", "fine"], **common) == ""
    assert rules.exclusion(Profile.NATIONAL, "penalty", procedure="simple", penalties=["warning"], **common) == ""
    assert rules.exclusion(Profile.MARKET, "license", procedure="simple", penalties=[], **common) == ""
    assert "不予行政处罚" in rules.exclusion(Profile.NATIONAL, "penalty", procedure="normal", penalties=[],
                                         decision_type="no_penalty")


@pytest.mark.parametrize(("penalties", "fine", "natural", "short"), [
    (["criticism"], None, True, True),
    (["warning", "criticism"], None, False, True),
    (["fine"], Decimal("200"), True, True),
    (["fine"], Decimal("201"), True, False),
    (["fine"], Decimal("3000"), False, True),
    (["warning", "fine"], Decimal("3000.01"), False, False),
    (["fine", "confiscate_gains"], Decimal("100"), True, False),
    (["warning"], None, True, False),
])
def test_short_period_for_criticism_or_a_low_fine(penalties, fine, natural, short) -> None:
    assert rules.is_short_period(Profile.MARKET, penalties=penalties, fine=fine, natural_person=natural) is short


def test_period_end_counts_calendar_months_from_publication() -> None:
    assert rules.period_end(Profile.MARKET, dt.date(2025, 11, 30), short=True) == dt.date(2026, 2, 28)
    assert rules.period_end(Profile.MARKET, dt.date(2024, 2, 29), short=False) == dt.date(2027, 2, 28)
    assert "第十四条" in rules.rules_for(Profile.MARKET).period_source
