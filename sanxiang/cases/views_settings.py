"""Case settings pages: the holiday schedules, the agency's stricter rules and its numbering rule.

Reading: every member reads their own agency's settings, a supervisor those of the agencies of
their jurisdiction (``?agency=<pk>``; another agency's is 404). Changing: the agency's admin only
(403 otherwise); the holiday schedule is platform-wide and belongs to the 司法局's admin
(:func:`sanxiang.accounts.access.may_manage_platform`). Every change goes through
:mod:`sanxiang.cases.services.settings`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from chinese_calendar import constants as package_data
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sanxiang.accounts.access import Action, can, get_for_user, may_manage_platform, restrict
from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import schedule
from sanxiang.cases.deadlines import YearSchedule
from sanxiang.cases.forms_settings import ConflictForm, HolidayForm, NumberingForm, RuleForm
from sanxiang.cases.holidays import schedule_of
from sanxiang.cases.models import AgencyRule, CaseSettings, ConflictDeclaration, HolidaySchedule
from sanxiang.cases.numbering import settings_for
from sanxiang.cases.rules import DEFAULT_RULES, UNIT_LABELS
from sanxiang.cases.services import settings as services
from sanxiang.cases.services.settings import FIRST_YEAR, LAST_YEAR
from sanxiang.registry.models import Officer

YEARS_SHOWN = 3  # this year and the next two
STATUS_BUILTIN, STATUS_ENTERED, STATUS_MISSING = "已内置", "已录入", "未录入"
WEEKDAYS = "一二三四五六日"


# ---------------------------------------------------------------- helpers


def target_agency(request: HttpRequest, action: Action = Action.VIEW) -> Agency:
    """The agency whose settings are shown: ``?agency=`` (404 if not visible), else the user's."""
    pk = request.GET.get("agency") or request.user.agency_id
    return get_for_user(Agency.objects.select_related("jurisdiction"), request.user, action, pk=pk)


def _agency_query(agency: Agency, request: HttpRequest) -> str:
    return f"?agency={agency.pk}" if agency.pk != request.user.agency_id else ""


def _fail(form: object, error: Exception) -> None:
    form.add_error(None, str(error))  # type: ignore[attr-defined]


def year_status(year: int, entered: set[int]) -> str:
    if services.package_knows(year):
        return STATUS_BUILTIN
    return STATUS_ENTERED if year in entered else STATUS_MISSING


def schedule_for(year: int) -> YearSchedule | None:
    """The year's schedule from the package or from an entered row; None when not loaded."""
    if services.package_knows(year):
        return YearSchedule(year, frozenset(d for d in package_data.holidays if d.year == year),
                            frozenset(d for d in package_data.workdays if d.year == year))
    row = HolidaySchedule.objects.filter(year=year).first()
    return schedule_of(row) if row else None


@dataclass(frozen=True)
class Day:
    day: dt.date | None
    kind: str = ""  # "holiday", "rest" (weekend), "makeup" (调休上班), "" (working day)


def month_grids(year: int, found: YearSchedule | None) -> list[tuple[int, list[list[Day]]]]:
    """Twelve months of weeks (Monday first), each day classified; weekends alone when ``found``
    is None (a year with no schedule: what deadlines are counted on, provisionally)."""
    holidays = found.holidays if found else frozenset()
    workdays = found.workdays if found else frozenset()

    def classify(day: dt.date) -> str:
        if day in holidays:
            return "holiday"
        if day in workdays:
            return "makeup"
        return "rest" if day.weekday() >= 5 else ""

    months = []
    for month in range(1, 13):
        weeks = calendar.Calendar().monthdatescalendar(year, month)
        grid = [[Day(d, classify(d)) if d.month == month else Day(None) for d in week] for week in weeks]
        months.append((month, grid))
    return months


# ---------------------------------------------------------------- overview


@login_required
def index(request: HttpRequest) -> HttpResponse:
    agency = target_agency(request)
    conf = settings_for(agency)
    today = schedule.today()
    entered = set(HolidaySchedule.objects.values_list("year", flat=True))
    years = [(y, year_status(y, entered)) for y in range(today.year, today.year + YEARS_SHOWN)]
    rules = AgencyRule.objects.filter(agency=agency).order_by("code")
    return render(request, "cases/settings/index.html", {
        "agency": agency, "agency_query": _agency_query(agency, request), "conf": conf,
        "examples": services.numbering_examples(agency, conf), "years": years,
        "rules": [(DEFAULT_RULES[r.code], r) for r in rules if r.code in DEFAULT_RULES],
        "may_change": can(request.user, Action.CHANGE, CaseSettings, agency),
        "may_manage_platform": may_manage_platform(request.user),
    })


# ---------------------------------------------------------------- holidays


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    today = schedule.today()
    rows = {row.year: row for row in HolidaySchedule.objects.select_related("entered_by")}
    shown = sorted(set(range(today.year, today.year + YEARS_SHOWN)) | set(rows))
    years = [{"year": y, "status": year_status(y, set(rows)), "row": rows.get(y)} for y in shown]
    return render(request, "cases/settings/holidays.html", {
        "years": years, "may_manage_platform": may_manage_platform(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("年份超出范围")
    builtin = services.package_knows(year)
    editable = may_manage_platform(request.user) and not builtin
    if request.method == "POST" and not editable:
        raise PermissionDenied("节假日安排全平台共用，只有司法局的系统管理员可以录入" if not builtin
                               else f"{year}年的节假日安排已内置，无需录入")
    row = HolidaySchedule.objects.filter(year=year).first()
    found = schedule_for(year)
    form = HolidayForm(request.POST or None, initial=_holiday_initial(row))
    if request.method == "POST" and form.is_valid():
        preview = _preview(year, form)
        if preview is not None and "save" in request.POST:
            return _save_holidays(request, year, form)
        found = preview or found
    return render(request, "cases/settings/holiday_edit.html", {
        "year": year, "row": row, "builtin": builtin, "editable": editable, "form": form,
        "status": year_status(year, {row.year} if row else set()), "months": month_grids(year, found),
        "weekdays": WEEKDAYS, "loaded": found is not None, "previewing": request.method == "POST",
    })


def _holiday_initial(row: HolidaySchedule | None) -> dict[str, str]:
    if row is None:
        return {}
    return {"holidays": "\n".join(row.holidays), "workdays": "\n".join(row.workdays or []), "source": row.source}


def _preview(year: int, form: HolidayForm) -> YearSchedule | None:
    try:
        return services.check_schedule(year, form.cleaned_data["holidays"], form.cleaned_data["workdays"])
    except ServiceError as error:
        _fail(form, error)
        return None


def _save_holidays(request: HttpRequest, year: int, form: HolidayForm) -> HttpResponse:
    data = form.cleaned_data
    changed = services.enter_holiday_schedule(request.user, year, data["holidays"], data["workdays"], data["source"])
    messages.success(request, f"已保存{year}年法定节假日安排，重新计算了{changed}件在办案件的期限。")
    return HttpResponseRedirect(reverse("case_settings:holidays"))


# ---------------------------------------------------------------- rules


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    agency = target_agency(request, Action.CHANGE if request.method == "POST" else Action.VIEW)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        done = _change_rule(request, form)
        if done:
            return HttpResponseRedirect(reverse("case_settings:rules"))
    overrides = {r.code: r for r in AgencyRule.objects.filter(agency=agency)}
    rows = [{"rule": rule, "unit": UNIT_LABELS[rule.unit], "own": overrides.get(rule.code),
             "failed": form.is_bound and form.data.get("code") == rule.code}
            for rule in DEFAULT_RULES.values()]
    return render(request, "cases/settings/rules.html", {
        "agency": agency, "agency_query": _agency_query(agency, request), "rows": rows, "form": form,
        "may_change": can(request.user, Action.CHANGE, AgencyRule, agency),
    })


def _change_rule(request: HttpRequest, form: RuleForm) -> bool:
    """Apply the posted change (set a value, or ``clear`` back to the default); False when refused
    (the errors are on the form)."""
    clear = "clear" in request.POST
    if not clear and not form.is_valid():
        return False
    code = form.cleaned_data["code"] if not clear else request.POST.get("code", "")
    try:
        if clear:
            changed = services.clear_agency_rule(request.user, code)
            messages.success(request, f"已恢复法定默认值：{DEFAULT_RULES[code].describe()}。")
        else:
            value = form.cleaned_data["value"]
            changed = services.set_agency_rule(request.user, code, value, form.cleaned_data["note"])
            messages.success(request, f"已设置本机关规则：{DEFAULT_RULES[code].describe(value)}。")
    except ServiceError as error:
        _fail(form, error)
        return False
    if changed:
        messages.info(request, f"本机关{changed}件在办案件的下一期限已重新计算。")
    return True


# ---------------------------------------------------------------- numbering


@login_required
@require_http_methods(["GET", "POST"])
def numbering(request: HttpRequest) -> HttpResponse:
    agency = target_agency(request, Action.CHANGE if request.method == "POST" else Action.VIEW)
    conf = settings_for(agency)
    form = NumberingForm(request.POST or None, initial=NumberingForm.initial_for(conf))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_numbering(request.user, form.cleaned_data["case_number_pattern"],
                                   form.cleaned_data["document_number_pattern"], form.short_names())
        except ServiceError as error:
            _fail(form, error)
        else:
            messages.success(request, "编号规则已保存；此前已编的号不变，序号继续连续编排。")
            return HttpResponseRedirect(reverse("case_settings:numbering"))
    return render(request, "cases/settings/numbering.html", {
        "agency": agency, "agency_query": _agency_query(agency, request), "conf": conf, "form": form,
        "examples": services.numbering_examples(agency, conf), "short_name": agency.short_name or agency.name,
        "year": schedule.today().year, "may_change": can(request.user, Action.CHANGE, CaseSettings, agency),
        "next_case": services.next_serial(agency, "case:penalty"),
        "next_document": services.next_serial(agency, "doc:decision"),
    })


# ---------------------------------------------------------------- declared relationships (回避)


def declarable_officers(user: User, agency: Agency):
    """Officers ``user`` may declare relationships for in ``agency``: all of them for its admin,
    else the user's own officer record (none for anyone else)."""
    if can(user, Action.CHANGE, ConflictDeclaration, agency):
        return restrict(Officer.objects.all(), user, Action.CHANGE).order_by("name")
    return Officer.objects.filter(user=user, agency=agency)


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request: HttpRequest) -> HttpResponse:
    agency = target_agency(request)
    officers = declarable_officers(request.user, agency)
    form = ConflictForm(request.POST or None, officers=officers)
    if request.method == "POST":
        if not officers.exists():
            raise PermissionDenied("只有执法人员本人或本机关系统管理员可以申报利害关系")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare_conflict(request.user, data["officer"], data["party_name"], data["relation"],
                                          data["party_identifier"])
            except ServiceError as error:
                _fail(form, error)
            else:
                messages.success(request, "已登记利害关系申报；该执法人员不能承办涉及对方的案件。")
                return HttpResponseRedirect(reverse("case_settings:conflicts"))
    rows = (restrict(ConflictDeclaration.objects.all(), request.user).filter(officer__agency=agency)
            .select_related("officer").order_by("officer__name", "id"))
    mine = set(officers.values_list("pk", flat=True))
    return render(request, "cases/settings/conflicts.html", {
        "agency": agency, "agency_query": _agency_query(agency, request), "form": form,
        "rows": [(row, row.officer_id in mine) for row in rows], "may_declare": officers.exists(),
    })


@login_required
@require_http_methods(["POST"])
def conflict_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.withdraw_conflict(request.user, pk)
    messages.success(request, "已撤回该利害关系申报（全过程记录中保留）。")
    return HttpResponseRedirect(reverse("case_settings:conflicts"))
