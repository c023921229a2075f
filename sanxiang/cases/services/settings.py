"""Case settings: the holiday schedule of a year the calendar package lacks (platform-wide), an
agency's stricter rules, its numbering rule, and officers' declared relationships (回避).

Each change runs in one transaction, checks who may make it through :mod:`sanxiang.accounts.access`
and writes one ledger entry. Refusals are :class:`ServiceError` (Chinese message) or
``PermissionDenied``. ``user`` None is the operator running a management command (recorded as 系统).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.access import Action, can, get_for_user, may_manage_platform
from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.services import ServiceError
from sanxiang.accounts.validators import id_number_problem, uscc_problem
from sanxiang.cases import schedule
from sanxiang.cases.choices import OPEN_STATES
from sanxiang.cases.deadlines import DEFAULT_CALENDAR, YearSchedule
from sanxiang.cases.models import (
    AgencyRule,
    Case,
    CaseSettings,
    ConflictDeclaration,
    HolidaySchedule,
    NumberSequence,
)
from sanxiang.cases.numbering import (
    DEFAULT_CATEGORY_SHORT_NAMES,
    DOCUMENT_SHORT_NAMES,
    PatternError,
    check_pattern,
    format_number,
    settings_for,
)
from sanxiang.cases.rules import DEFAULT_RULES, UNIT_LABELS, Unit, check_override
from sanxiang.ledger.services import Subject, record, record_change
from sanxiang.registry.models import Officer

FIRST_YEAR, LAST_YEAR = 2000, 2100
SHORT_NAME_MAX = 10
# "2027-02-05~2027-02-11": a range, both ends included.
_RANGE = re.compile(r"\s*(?:~|～|至|--)\s*")
_SEPARATORS = re.compile(r"[\s,，、;；]+")


# ---------------------------------------------------------------- holiday schedules


def package_knows(year: int) -> bool:
    """Whether the ``chinesecalendar`` package ships the State Council schedule of ``year``."""
    return DEFAULT_CALENDAR.knows(year)  # the default calendar holds the package's years only


def parse_dates(entries: str | Iterable[str]) -> list[dt.date]:
    """Dates from text (one date or range per line, or separated by commas) or a list of such
    strings; ``2027-02-05~2027-02-11`` is a range with both ends. Sorted, without repeats."""
    if isinstance(entries, str):
        entries = entries.splitlines()
    found: set[dt.date] = set()
    for entry in entries:
        text = _RANGE.sub("~", str(entry).strip())
        for token in _SEPARATORS.split(text):
            if token:
                found.update(_parse_token(token))
    return sorted(found)


def _parse_token(token: str) -> list[dt.date]:
    first, _, last = token.partition("~")
    start = _parse_day(first)
    end = _parse_day(last) if last else start
    if end < start:
        raise ServiceError(f"日期范围“{token}”的结束日早于开始日")
    if (end - start).days > 60:
        raise ServiceError(f"日期范围“{token}”超过60天，请检查")
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ServiceError(f"无法识别的日期“{text}”，请按 YYYY-MM-DD 填写，范围写作 2027-02-05~2027-02-11") from None


def check_schedule(year: int, holidays: Iterable[dt.date], workdays: Iterable[dt.date]) -> YearSchedule:
    """The schedule as entered, or ServiceError naming what is wrong with it."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(f"年份须在{FIRST_YEAR}至{LAST_YEAR}之间")
    if package_knows(year):
        raise ServiceError(f"{year}年的节假日安排已内置于平台日历数据（chinesecalendar），无需录入")
    holidays, workdays = frozenset(holidays), frozenset(workdays)
    if not holidays:
        raise ServiceError("请至少填写一个放假日期")
    try:
        found = YearSchedule(year, holidays, workdays)
    except ValueError as error:
        raise ServiceError(str(error)) from None
    weekdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekdays:
        raise ServiceError(f"{weekdays[0].isoformat()} 不是周末，本来就是工作日，不应列为调休上班日")
    return found


@transaction.atomic
def enter_holiday_schedule(user: User | None, year: int, holidays: Iterable[dt.date],
                           workdays: Iterable[dt.date] = (), source: str = "") -> int:
    """Create or replace the schedule of ``year`` (a year the package does not know), then
    recompute every open case's next deadline. Returns how many cases changed."""
    if user is not None and not may_manage_platform(user):
        raise PermissionDenied("节假日安排全平台共用，只有司法局的系统管理员可以录入")
    found = check_schedule(int(year), holidays, workdays)
    row, created = HolidaySchedule.objects.update_or_create(year=found.year, defaults={
        "holidays": [d.isoformat() for d in sorted(found.holidays)],
        "workdays": [d.isoformat() for d in sorted(found.workdays)],
        "source": source.strip()[:200], "entered_by": user,
    })
    changed = schedule.recompute_open_cases()
    verb = "录入" if created else "修改"
    record_change(event_type="case.holidays.entered" if created else "case.holidays.updated", actor=user,
                  obj=row, agency=None,
                  summary=f"{verb}{found.year}年法定节假日安排：放假{len(found.holidays)}天，"
                          f"调休上班{len(found.workdays)}天；重新计算期限的在办案件{changed}件",
                  changes={"holidays": row.holidays, "workdays": row.workdays, "source": row.source,
                           "recomputed": changed})
    return changed


# ---------------------------------------------------------------- stricter rules


def recompute_agency(agency_id: int, on_case: Callable[[], object] | None = None) -> int:
    """Recompute the stored next deadline of one agency's open cases (its rules, the calendar in
    force); how many changed. ``on_case`` is called after each case (a progress bar)."""
    return schedule.recompute_open_cases(agency_id, on_case)


def recompute_all(on_case: Callable[[], object] | None = None) -> int:
    """Recompute every open case, one transaction per agency; how many changed."""
    agencies = Case.objects.filter(state__in=OPEN_STATES).values_list("agency_id", flat=True).distinct()
    changed = 0
    for agency_id in sorted(set(agencies)):
        with transaction.atomic():
            changed += recompute_agency(agency_id, on_case)
    return changed


def _require_agency_admin(user: User, model: type, what: str) -> Agency:
    if not can(user, Action.CHANGE, model):
        raise PermissionDenied(f"只有本机关的系统管理员可以{what}")
    return user.agency


def _as_int(value: object, label: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ServiceError(f"{label}须为整数") from None


@transaction.atomic
def set_agency_rule(user: User, code: str, value: object, note: str = "") -> int:
    """Set the agency's stricter value for rule ``code`` (never looser than the law: the refusal
    cites the article). Recomputes the agency's open cases; returns how many changed."""
    agency = _require_agency_admin(user, AgencyRule, "设置办案规则")
    rule = DEFAULT_RULES.get(code)
    if rule is None:
        raise ServiceError(f"未知的规则：{code}")
    number = _as_int(value, rule.label)
    try:
        check_override(code, number)
    except ValueError as error:
        raise ServiceError(str(error)) from None
    if number == 0 and rule.unit != Unit.YUAN and code != "due_soon":
        raise ServiceError(f"{rule.label}不能设为0")
    before = AgencyRule.objects.filter(agency=agency, code=code).values_list("value", flat=True).first()
    row, _ = AgencyRule.objects.update_or_create(agency=agency, code=code,
                                                 defaults={"value": number, "note": note.strip()[:300]})
    changed = recompute_agency(agency.pk)
    unit = UNIT_LABELS[rule.unit]
    record_change(event_type="case.rule.set", actor=user, obj=row, agency=agency,
                  summary=f"设置办案规则：{rule.describe(number)}（法定默认{rule.value}{unit}）；"
                          f"重新计算期限的在办案件{changed}件",
                  changes={"code": code, "value": number, "before": before, "note": row.note, "recomputed": changed})
    return changed


@transaction.atomic
def clear_agency_rule(user: User, code: str) -> int:
    """Go back to the legal default for rule ``code``; returns how many open cases changed."""
    agency = _require_agency_admin(user, AgencyRule, "设置办案规则")
    row = AgencyRule.objects.filter(agency=agency, code=code).first()
    if row is None:
        raise ServiceError("本机关没有设置该规则，已在使用法定默认值")
    rule = DEFAULT_RULES[code]
    subject = Subject(row._meta.label_lower, str(row.pk), str(row)[:200])
    before = row.value
    row.delete()
    changed = recompute_agency(agency.pk)
    record(event_type="case.rule.cleared", actor=user, agency=agency, subject=subject,
           summary=f"恢复法定默认值：{rule.describe()}（原设置{before}）；重新计算期限的在办案件{changed}件",
           changes={"code": code, "before": before, "recomputed": changed})
    return changed


# ---------------------------------------------------------------- numbering


def check_short_names(names: dict[str, str]) -> dict[str, str]:
    """The category short names kept (non-empty, known categories); distinct from each other and
    from the defaults they do not replace, so two categories never print the same number."""
    unknown = sorted(set(names) - set(DEFAULT_CATEGORY_SHORT_NAMES))
    if unknown:
        raise ServiceError("未知的案件类别：" + "、".join(unknown))
    kept = {k: str(v).strip() for k, v in names.items() if str(v or "").strip()}
    for short in kept.values():
        if len(short) > SHORT_NAME_MAX or "{" in short or "}" in short:
            raise ServiceError(f"类别简称“{short}”须为{SHORT_NAME_MAX}个字以内，且不能含有花括号")
    merged = {**DEFAULT_CATEGORY_SHORT_NAMES, **kept}
    seen: dict[str, str] = {}
    for code, short in merged.items():
        if short in seen:
            raise ServiceError(f"类别简称“{short}”重复使用，不同类别的案号会相同")
        seen[short] = code
    return kept


def _check_numbering(case_pattern: str, document_pattern: str) -> None:
    for pattern, target, label, token in ((case_pattern, "case", "案件编号规则", "类别简称"),
                                          (document_pattern, "document", "文书编号规则", "文书简称")):
        try:
            check_pattern(pattern, target)
        except PatternError as error:
            raise ServiceError(f"{label}：{error}") from None
        # Series are numbered separately per category (document kind): without the short name
        # two series would print the same number.
        if "{" + token + "}" not in pattern:
            raise ServiceError(f"{label}：必须包含 {{{token}}}，否则不同类别的编号会重复")


@transaction.atomic
def set_numbering(user: User, case_number_pattern: str, document_number_pattern: str,
                  category_short_names: dict[str, str]) -> CaseSettings:
    """Change the agency's numbering rule. Numbers already given stay; the sequences continue."""
    agency = _require_agency_admin(user, CaseSettings, "修改编号规则")
    case_pattern, document_pattern = case_number_pattern.strip(), document_number_pattern.strip()
    _check_numbering(case_pattern, document_pattern)
    shorts = check_short_names(category_short_names)
    conf, _ = CaseSettings.objects.get_or_create(agency=agency)
    before = {"case_number_pattern": conf.case_number_pattern, "document_number_pattern": conf.document_number_pattern,
              "category_short_names": conf.category_short_names}
    conf.case_number_pattern, conf.document_number_pattern = case_pattern, document_pattern
    conf.category_short_names = shorts
    conf.save()
    record_change(event_type="case.numbering.set", actor=user, obj=conf, agency=agency,
                  summary=f"修改编号规则：案件 {case_pattern}，文书 {document_pattern}",
                  changes={"before": before, "case_number_pattern": case_pattern,
                           "document_number_pattern": document_pattern, "category_short_names": shorts})
    return conf


def example_number(agency: Agency, pattern: str, series: str, short: str, *, document: bool = False,
                   year: int | None = None) -> str:
    """What the next number of ``series`` would look like under ``pattern`` (nothing is claimed)."""
    year = year or timezone.localdate().year
    values = {"机关简称": agency.short_name or agency.name, "年": str(year),
              "文书简称" if document else "类别简称": short}
    return format_number(pattern, values, next_serial(agency, series, year))


def next_serial(agency: Agency, series: str, year: int | None = None) -> int:
    """The serial the next number of ``series`` would get (read only; :func:`claim` takes it)."""
    year = year or timezone.localdate().year
    last = NumberSequence.objects.filter(agency=agency, series=series, year=year).values_list("last", flat=True)
    return (last.first() or 0) + 1


def numbering_examples(agency: Agency, conf: CaseSettings | None = None) -> list[tuple[str, str]]:
    """(label, next number) for a penalty case, a simple-procedure case and a decision document."""
    conf = conf or settings_for(agency)
    shorts = {**DEFAULT_CATEGORY_SHORT_NAMES, **(conf.category_short_names or {})}
    return [
        ("行政处罚案件", example_number(agency, conf.case_number_pattern, "case:penalty", shorts["penalty"])),
        ("简易程序案件", example_number(agency, conf.case_number_pattern, "case:penalty_simple",
                                   shorts["penalty_simple"])),
        ("行政处罚决定书", example_number(agency, conf.document_number_pattern, "doc:decision",
                                     DOCUMENT_SHORT_NAMES["decision"], document=True)),
    ]


# ---------------------------------------------------------------- declared relationships (回避)


def _may_declare_for(user: User, officer: Officer) -> bool:
    """The officer themself, or an admin of the officer's agency (access layer's editor rule)."""
    return officer.user_id == user.pk or can(user, Action.CHANGE, ConflictDeclaration, officer.agency)


def _identifier_problem(value: str) -> str | None:
    if not value:
        return None
    if id_number_problem(value) is None or uscc_problem(value) is None:
        return None
    return "对方证件号码须为有效的18位身份证号码或统一社会信用代码"


@transaction.atomic
def declare_conflict(user: User, officer: Officer | int, party_name: str, relation: str,
                     party_identifier: str = "") -> ConflictDeclaration:
    """Record that ``officer`` has a relationship with a person or organisation (行政处罚法 art. 43):
    the officer may then not handle a case against them. By the officer or their agency's admin."""
    pk = officer.pk if isinstance(officer, Officer) else officer
    officer = get_for_user(Officer.objects.select_related("agency"), user, Action.VIEW, pk=pk)
    if not _may_declare_for(user, officer):
        raise PermissionDenied("只有执法人员本人或本机关系统管理员可以申报利害关系")
    name, relation, identifier = party_name.strip(), relation.strip(), party_identifier.strip().upper()
    if not name or not relation:
        raise ServiceError("请填写对方姓名或名称，以及与其的关系")
    problem = _identifier_problem(identifier)
    if problem:
        raise ServiceError(problem)
    found = ConflictDeclaration.objects.create(officer=officer, party_name=name[:200], relation=relation[:100],
                                               party_identifier=identifier)
    record_change(event_type="case.conflict.declared", actor=user, obj=found, agency=officer.agency,
                  summary=f"申报利害关系：{officer.name}与{name}（{relation}）")
    return found


@transaction.atomic
def withdraw_conflict(user: User, declaration: ConflictDeclaration | int) -> None:
    """Remove a declaration (it was wrong, or the relationship ended); the ledger keeps it."""
    pk = declaration.pk if isinstance(declaration, ConflictDeclaration) else declaration
    found = get_for_user(ConflictDeclaration.objects.select_related("officer__agency"), user, Action.VIEW, pk=pk)
    if not _may_declare_for(user, found.officer):
        raise PermissionDenied("只有执法人员本人或本机关系统管理员可以撤回利害关系申报")
    subject = Subject(found._meta.label_lower, str(found.pk), str(found)[:200])
    record(event_type="case.conflict.withdrawn", actor=user, agency=found.officer.agency, subject=subject,
           summary=f"撤回利害关系申报：{found}")
    found.delete()
