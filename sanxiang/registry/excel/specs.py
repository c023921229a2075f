"""The sheet layout of every registry: columns, uniqueness rules and cross-column checks.

The agency is never an import column: rows always go to the importing admin's own agency. An
export adds it as a last column (so a supervisor's file says whose row is whose); an import ignores
that column, so an exported file can be imported back as it is.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models

from sanxiang.registry import models as m
from sanxiang.registry.choices import EnforcementKind
from sanxiang.registry.excel import columns as c
from sanxiang.registry.registries import REGISTRIES

# (column header, reason) pairs found by a cross-column check of one row.
RowCheck = Callable[[Mapping[str, object]], list[tuple[str, str]]]

# Shorter spellings people use for 执法类别 (许可 for 行政许可 …); exports use the full label.
KIND_ALIASES = {str(label).removeprefix("行政"): str(code) for code, label in EnforcementKind.choices}


@dataclass(frozen=True)
class UniqueKey:
    """Fields whose values must not repeat, within the file and against the database.

    ``per_agency`` keys only clash with rows of the same agency; the others are nationwide.
    Rows where any field is blank are not checked (the database allows them to repeat).
    """

    fields: tuple[str, ...]
    column: str
    label: str
    per_agency: bool


@dataclass(frozen=True)
class Spec:
    key: str
    model: type[models.Model]
    sheet: str
    columns: tuple[c.Column, ...]
    unique: tuple[UniqueKey, ...] = ()
    checks: tuple[RowCheck, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    @property
    def agency_header(self) -> str:
        return str(self.model._meta.get_field("agency").verbose_name)

    def column(self, name: str) -> c.Column:
        return next(col for col in self.columns if col.name == name)


def _header(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _not_before(model: type[models.Model], early: str, late: str, reason: str) -> RowCheck:
    def check(values: Mapping[str, object]) -> list[tuple[str, str]]:
        first, last = values.get(early), values.get(late)
        if first is not None and last is not None and last < first:  # type: ignore[operator]
            return [(_header(model, late), reason)]
        return []
    return check


def _officers() -> Spec:
    o = m.Officer
    return Spec(
        "officers", o, REGISTRIES["officers"].title,
        (c.text(o, "name", width=10), c.text(o, "position", width=12), c.text(o, "certificate_number"),
         c.choice_list(o, "categories", EnforcementKind.choices, KIND_ALIASES), c.date(o, "issued_on"),
         c.date(o, "expires_on"), c.choice(o, "status"), c.boolean(o, "is_legal_reviewer"),
         c.boolean(o, "has_legal_qualification")),
        unique=(UniqueKey(("certificate_number",), _header(o, "certificate_number"), "执法证号", False),),
        checks=(_not_before(o, "issued_on", "expires_on", "有效期至早于发证日期"),),
    )


def _items() -> Spec:
    i = m.EnforcementItem
    return Spec(
        "items", i, REGISTRIES["items"].title,
        (c.text(i, "code"), c.text(i, "name", width=30), c.choice(i, "kind"),
         c.articles_ref(i, "legal_basis"), c.text(i, "basis_text", width=30),
         c.text(i, "description", width=30)),
        unique=(UniqueKey(("code",), _header(i, "code"), "事项编码", True),),
        prefetch=("legal_basis__law",),
    )


def _laws() -> Spec:
    law = m.Law
    return Spec(
        "laws", law, REGISTRIES["laws"].title,
        (c.text(law, "title", width=36), c.choice(law, "level"), c.text(law, "issuing_body"),
         c.date(law, "promulgated_on"), c.date(law, "effective_on"), c.choice(law, "status"),
         c.text(law, "preamble", width=30)),
        unique=(UniqueKey(("title", "promulgated_on"), _header(law, "title"), "名称和公布日期", False),),
    )


def _fine_range(values: Mapping[str, object]) -> list[tuple[str, str]]:
    low, high = values.get("fine_min"), values.get("fine_max")
    if low is not None and high is not None and high < low:  # type: ignore[operator]
        return [(_header(m.DiscretionBenchmark, "fine_max"), "罚款上限小于罚款下限")]
    return []


def _benchmarks() -> Spec:
    b = m.DiscretionBenchmark
    return Spec(
        "benchmarks", b, REGISTRIES["benchmarks"].title,
        (c.item_ref(b, "item"), c.text(b, "violation", width=30), c.choice(b, "circumstance"),
         c.text(b, "sanction", width=30), c.decimal(b, "fine_min", "不小于0的数字，单位元"),
         c.decimal(b, "fine_max", "不小于0且不小于罚款下限的数字，单位元"),
         c.text(b, "conditions", width=30)),
        checks=(_fine_range,),
        select_related=("item",),
    )


def _targets() -> Spec:
    t = m.InspectionTarget
    return Spec(
        "targets", t, REGISTRIES["targets"].title,
        (c.text(t, "name", width=30), c.uscc(t, "uscc"), c.choice(t, "kind"), c.text(t, "industry"),
         c.text(t, "address", width=30), c.jurisdiction_ref(t, "region"), c.choice(t, "risk_level")),
        unique=(UniqueKey(("uscc",), _header(t, "uscc"), "统一社会信用代码", True),),
        select_related=("region",),
    )


def _random_items() -> Spec:
    r = m.RandomInspectionItem
    return Spec(
        "random_items", r, REGISTRIES["random_items"].title,
        (c.text(r, "name", width=30), c.item_ref(r, "item"), c.text(r, "basis", width=30),
         c.text(r, "target_type"), c.text(r, "content", width=30), c.text(r, "method"),
         c.decimal(r, "ratio", "0到100之间的数字"), c.text(r, "frequency")),
        select_related=("item",),
    )


SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (_officers(), _items(), _laws(), _benchmarks(), _targets(), _random_items())
}


def spec_for(key: str) -> Spec:
    """The spec of registry ``key``; KeyError for an unknown registry."""
    return SPECS[key]
