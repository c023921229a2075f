"""The unified numbering rule (统一案件编号规则) for case numbers and document numbers (文号).

Numbers are consecutive per agency, series and year. :func:`claim` takes the next one inside the
caller's transaction with one ``UPDATE … RETURNING``: concurrent claimants queue on the row's lock
(PostgreSQL) or the database write lock (SQLite), and a rolled-back transaction gives its number
back, so the numbers that exist have no gaps and no duplicates.
"""

import re

from django.db import connection

from sanxiang.accounts.models import Agency
from sanxiang.cases.models import DEFAULT_CASE_PATTERN, DEFAULT_DOCUMENT_PATTERN, CaseSettings, NumberSequence

DEFAULT_CATEGORY_SHORT_NAMES = {
    "penalty": "罚", "penalty_simple": "简罚", "coercion": "强", "inspection": "检", "license": "许",
    "levy": "征", "fee": "费", "other": "案",
}
# Documents that carry their own 文号; the others are identified by the case number.
DOCUMENT_SHORT_NAMES = {"prior_notice": "罚告", "hearing_notice": "听通", "decision": "罚决",
                        "legal_review_opinion": "法审"}

_TOKEN = re.compile(r"\{(机关简称|类别简称|文书简称|年|序号)(?::(\d))?\}")
_ALLOWED = {"case": {"机关简称", "类别简称", "年", "序号"}, "document": {"机关简称", "文书简称", "年", "序号"}}


class PatternError(ValueError):
    """A numbering pattern that cannot make unique numbers (message in Chinese)."""


def check_pattern(pattern: str, target: str = "case") -> None:
    """Raise PatternError unless ``pattern`` uses known placeholders and contains {序号}."""
    names = {m.group(1) for m in _TOKEN.finditer(pattern)}
    leftover = _TOKEN.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise PatternError("编号规则中有无法识别的占位符；可用：" + "、".join("{" + n + "}" for n in sorted(_ALLOWED[target])))
    if "序号" not in names:
        raise PatternError("编号规则必须包含 {序号}")
    wrong = names - _ALLOWED[target]
    if wrong:
        raise PatternError("该编号规则不能使用：" + "、".join("{" + n + "}" for n in sorted(wrong)))
    if "年" not in names:
        raise PatternError("编号规则必须包含 {年}，否则各年度的序号会重复")
    series = "类别简称" if target == "case" else "文书简称"
    if series not in names:
        raise PatternError(f"编号规则必须包含 {{{series}}}：序号按{'案件类别' if target == 'case' else '文书种类'}分别连续编号，"
                           "缺少它会使不同序列的编号重复")


def format_number(pattern: str, values: dict[str, str], number: int) -> str:
    def replace(match: re.Match[str]) -> str:
        name, width = match.group(1), match.group(2)
        if name == "序号":
            return f"{number:0{int(width)}d}" if width else str(number)
        return values.get(name, "")
    return _TOKEN.sub(replace, pattern)


def claim(agency: Agency, series: str, year: int) -> int:
    """The next number of ``series`` for ``agency`` in ``year`` (1, 2, 3 …)."""
    if not connection.in_atomic_block:
        raise RuntimeError("编号必须在使用它的事务中领取")
    NumberSequence.objects.bulk_create([NumberSequence(agency=agency, series=series, year=year)],
                                       ignore_conflicts=True)
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE agency_id = %s AND series = %s AND year = %s "
                       "RETURNING last", [agency.pk, series, year])
        return cursor.fetchone()[0]


def settings_for(agency: Agency) -> CaseSettings:
    found = CaseSettings.objects.filter(agency=agency).first()
    return found or CaseSettings(agency=agency)


def next_case_number(agency: Agency, category: str, year: int) -> str:
    conf = settings_for(agency)
    shorts = {**DEFAULT_CATEGORY_SHORT_NAMES, **(conf.category_short_names or {})}
    number = claim(agency, f"case:{category}", year)
    values = {"机关简称": agency.short_name or agency.name, "类别简称": shorts.get(category, "案"), "年": str(year)}
    return format_number(conf.case_number_pattern or DEFAULT_CASE_PATTERN, values, number)


def next_document_number(agency: Agency, kind: str, year: int) -> str:
    """The 文号 of a new document of ``kind``, or "" for kinds identified by the case number."""
    short = DOCUMENT_SHORT_NAMES.get(kind)
    if short is None:
        return ""
    conf = settings_for(agency)
    number = claim(agency, f"doc:{kind}", year)
    values = {"机关简称": agency.short_name or agency.name, "文书简称": short, "年": str(year)}
    return format_number(conf.document_number_pattern or DEFAULT_DOCUMENT_PATTERN, values, number)
