"""Request and response schemas of the registry API, one set per model.

Titles and descriptions come from the models' ``verbose_name`` and ``help_text`` (the data
dictionary), so the OpenAPI document says the same as the pages. Input schemas forbid unknown
fields: a client that sends ``agency`` learns that it cannot choose one, instead of being ignored.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema
from pydantic import ConfigDict, create_model
from pydantic.fields import FieldInfo

from sanxiang.registry import models as m
from sanxiang.registry.choices import (
    Circumstance,
    CredentialStatus,
    EnforcementKind,
    LawLevel,
    LawStatus,
    RiskLevel,
    TargetKind,
)
from sanxiang.registry.registries import RegistryEntry


def doc(model: type[models.Model], name: str, default: Any = ..., note: str = "", **extra: Any) -> Any:
    """A schema field documented from the model field ``name`` (title, help text, choices, ``note``)."""
    field = model._meta.get_field(name)
    parts = [str(field.help_text)] if field.help_text else []
    if note:
        parts.append(note)
    if field.choices:
        parts.append("可选值：" + "；".join(f"{value}={label}" for value, label in field.choices))
    return Field(default, title=str(field.verbose_name), description=" ".join(parts) or None, **extra)


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# --- references to related rows -----------------------------------------------------------------


class AgencyRef(Schema):
    id: int
    name: str = Field(..., description="执法主体全称。")


class JurisdictionRef(Schema):
    id: int
    name: str


class ItemRef(Schema):
    id: int
    code: str = Field(..., description="事项编码。")
    name: str = Field(..., description="事项名称。")


class ArticleRef(Schema):
    id: int
    law_id: int
    law_title: str = Field(..., description="所属法规名称。")
    label: str = Field(..., description="条标，如“第六十条”。")

    @staticmethod
    def resolve_law_title(obj: m.Article) -> str:
        return obj.law.title


# --- 执法人员 ----------------------------------------------------------------------------------


class OfficerOut(Schema):
    id: int
    name: str = doc(m.Officer, "name")
    agency: AgencyRef = doc(m.Officer, "agency")
    user_id: int | None = doc(m.Officer, "user", None)
    position: str = doc(m.Officer, "position")
    certificate_number: str = doc(m.Officer, "certificate_number")
    categories: list[str] = doc(m.Officer, "categories")
    issued_on: datetime.date = doc(m.Officer, "issued_on")
    expires_on: datetime.date = doc(m.Officer, "expires_on")
    status: CredentialStatus = doc(m.Officer, "status")
    status_label: str = Field(..., title="证件状态（显示）",
                              description="有效、暂扣、注销，或有效期已过时为“已过期”。")
    can_enforce: bool = Field(..., title="今日可执法", description="证件有效且在有效期内，可被指派执法。")
    is_legal_reviewer: bool = doc(m.Officer, "is_legal_reviewer")
    has_legal_qualification: bool = doc(m.Officer, "has_legal_qualification")

    @staticmethod
    def resolve_status_label(obj: m.Officer) -> str:
        return obj.status_label()

    @staticmethod
    def resolve_can_enforce(obj: m.Officer) -> bool:
        return obj.can_enforce()


class OfficerIn(InputSchema):
    name: str = doc(m.Officer, "name", max_length=50)
    position: str = doc(m.Officer, "position", "", max_length=50)
    certificate_number: str = doc(m.Officer, "certificate_number", max_length=30)
    categories: list[EnforcementKind] = doc(m.Officer, "categories", default_factory=list)
    issued_on: datetime.date = doc(m.Officer, "issued_on")
    expires_on: datetime.date = doc(m.Officer, "expires_on")
    status: CredentialStatus = doc(m.Officer, "status", CredentialStatus.VALID)
    is_legal_reviewer: bool = doc(m.Officer, "is_legal_reviewer", False)
    has_legal_qualification: bool = doc(m.Officer, "has_legal_qualification", False)


# --- 行政执法事项 --------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    agency: AgencyRef = doc(m.EnforcementItem, "agency")
    code: str = doc(m.EnforcementItem, "code")
    name: str = doc(m.EnforcementItem, "name")
    kind: EnforcementKind = doc(m.EnforcementItem, "kind")
    kind_label: str = Field(..., title="执法类别（名称）")
    legal_basis: list[ArticleRef] = doc(m.EnforcementItem, "legal_basis")
    basis_text: str = doc(m.EnforcementItem, "basis_text")
    description: str = doc(m.EnforcementItem, "description")

    @staticmethod
    def resolve_kind_label(obj: m.EnforcementItem) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_legal_basis(obj: m.EnforcementItem) -> list[m.Article]:
        return list(obj.legal_basis.all())


class ItemIn(InputSchema):
    code: str = doc(m.EnforcementItem, "code", max_length=40)
    name: str = doc(m.EnforcementItem, "name", max_length=200)
    kind: EnforcementKind = doc(m.EnforcementItem, "kind")
    legal_basis: list[int] = doc(m.EnforcementItem, "legal_basis", default_factory=list,
                                 note="法律依据条款的 id 列表（见 /registry/laws/{id}/articles）。")
    basis_text: str = doc(m.EnforcementItem, "basis_text", "")
    description: str = doc(m.EnforcementItem, "description", "")


# --- 法律法规 ------------------------------------------------------------------------------------


class LawOut(Schema):
    id: int
    title: str = doc(m.Law, "title")
    level: LawLevel = doc(m.Law, "level")
    level_label: str = Field(..., title="效力级别（名称）")
    issuing_body: str = doc(m.Law, "issuing_body")
    promulgated_on: datetime.date | None = doc(m.Law, "promulgated_on", None)
    effective_on: datetime.date | None = doc(m.Law, "effective_on", None)
    status: LawStatus = doc(m.Law, "status")
    status_label: str = Field(..., title="时效性（名称）")
    agency: AgencyRef | None = doc(m.Law, "agency", None)
    preamble: str = doc(m.Law, "preamble")

    @staticmethod
    def resolve_level_label(obj: m.Law) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj: m.Law) -> str:
        return str(obj.get_status_display())


class LawIn(InputSchema):
    title: str = doc(m.Law, "title", max_length=200)
    level: LawLevel = doc(m.Law, "level")
    issuing_body: str = doc(m.Law, "issuing_body", "", max_length=100)
    promulgated_on: datetime.date | None = doc(m.Law, "promulgated_on", None)
    effective_on: datetime.date | None = doc(m.Law, "effective_on", None)
    status: LawStatus = doc(m.Law, "status", LawStatus.IN_FORCE)
    preamble: str = doc(m.Law, "preamble", "")


class ArticleOut(Schema):
    id: int
    number: int = doc(m.Article, "number")
    label: str = doc(m.Article, "label")
    chapter: str = doc(m.Article, "chapter")
    text: str = doc(m.Article, "text")


# --- 裁量基准 ------------------------------------------------------------------------------------


class BenchmarkOut(Schema):
    id: int
    agency: AgencyRef = doc(m.DiscretionBenchmark, "agency")
    item: ItemRef = doc(m.DiscretionBenchmark, "item")
    violation: str = doc(m.DiscretionBenchmark, "violation")
    circumstance: Circumstance = doc(m.DiscretionBenchmark, "circumstance")
    circumstance_label: str = Field(..., title="违法情节（名称）")
    sanction: str = doc(m.DiscretionBenchmark, "sanction")
    fine_min: Decimal | None = doc(m.DiscretionBenchmark, "fine_min", None)
    fine_max: Decimal | None = doc(m.DiscretionBenchmark, "fine_max", None)
    conditions: str = doc(m.DiscretionBenchmark, "conditions")

    @staticmethod
    def resolve_circumstance_label(obj: m.DiscretionBenchmark) -> str:
        return str(obj.get_circumstance_display())


class BenchmarkIn(InputSchema):
    item: int = doc(m.DiscretionBenchmark, "item", note="本机关执法事项的 id。")
    violation: str = doc(m.DiscretionBenchmark, "violation", max_length=300)
    circumstance: Circumstance = doc(m.DiscretionBenchmark, "circumstance")
    sanction: str = doc(m.DiscretionBenchmark, "sanction")
    fine_min: Decimal | None = doc(m.DiscretionBenchmark, "fine_min", None, ge=0)
    fine_max: Decimal | None = doc(m.DiscretionBenchmark, "fine_max", None, ge=0)
    conditions: str = doc(m.DiscretionBenchmark, "conditions", "")


# --- 检查对象 ------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    agency: AgencyRef = doc(m.InspectionTarget, "agency")
    name: str = doc(m.InspectionTarget, "name")
    uscc: str = doc(m.InspectionTarget, "uscc")
    kind: TargetKind = doc(m.InspectionTarget, "kind")
    kind_label: str = Field(..., title="对象类型（名称）")
    industry: str = doc(m.InspectionTarget, "industry")
    address: str = doc(m.InspectionTarget, "address")
    region: JurisdictionRef | None = doc(m.InspectionTarget, "region", None)
    risk_level: RiskLevel = doc(m.InspectionTarget, "risk_level")
    risk_level_label: str = Field(..., title="风险等级（名称）")

    @staticmethod
    def resolve_kind_label(obj: m.InspectionTarget) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_risk_level_label(obj: m.InspectionTarget) -> str:
        return str(obj.get_risk_level_display())


class TargetIn(InputSchema):
    name: str = doc(m.InspectionTarget, "name", max_length=200)
    uscc: str = doc(m.InspectionTarget, "uscc", "")
    kind: TargetKind = doc(m.InspectionTarget, "kind")
    industry: str = doc(m.InspectionTarget, "industry", "", max_length=100)
    address: str = doc(m.InspectionTarget, "address", "", max_length=200)
    region: int | None = doc(m.InspectionTarget, "region", None,
                             note="所在行政区划的 id（见 /accounts/jurisdictions）。")
    risk_level: RiskLevel = doc(m.InspectionTarget, "risk_level", RiskLevel.LOW)


# --- 随机抽查事项 --------------------------------------------------------------------------------


class RandomItemOut(Schema):
    id: int
    agency: AgencyRef = doc(m.RandomInspectionItem, "agency")
    item: ItemRef | None = doc(m.RandomInspectionItem, "item", None)
    name: str = doc(m.RandomInspectionItem, "name")
    basis: str = doc(m.RandomInspectionItem, "basis")
    target_type: str = doc(m.RandomInspectionItem, "target_type")
    content: str = doc(m.RandomInspectionItem, "content")
    method: str = doc(m.RandomInspectionItem, "method")
    ratio: Decimal = doc(m.RandomInspectionItem, "ratio")
    frequency: str = doc(m.RandomInspectionItem, "frequency")


class RandomItemIn(InputSchema):
    item: int | None = doc(m.RandomInspectionItem, "item", None,
                           note="对应的本机关执法事项 id，可为空。")
    name: str = doc(m.RandomInspectionItem, "name", max_length=200)
    basis: str = doc(m.RandomInspectionItem, "basis")
    target_type: str = doc(m.RandomInspectionItem, "target_type", max_length=200)
    content: str = doc(m.RandomInspectionItem, "content")
    method: str = doc(m.RandomInspectionItem, "method", max_length=100)
    ratio: Decimal = doc(m.RandomInspectionItem, "ratio", ge=0, le=100)
    frequency: str = doc(m.RandomInspectionItem, "frequency", max_length=50)


# --- derived schemas ----------------------------------------------------------------------------


def patch_schema(schema: type[InputSchema], name: str) -> type[InputSchema]:
    """``schema`` with every field optional: a PATCH body changes only the fields it sends."""
    fields = {
        field_name: (_optional(info), Field(None, title=info.title, description=info.description))
        for field_name, info in schema.model_fields.items()
    }
    return create_model(name, __base__=InputSchema, **fields)


def _optional(info: FieldInfo) -> Any:
    """The field's type or None; its constraints (max_length, ge, …) stay on the non-None part."""
    inner = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return inner | None


def filter_schema(entry: RegistryEntry, name: str) -> type[Schema]:
    """Query parameters of a registry list: ``q`` plus the registry's whitelisted filters."""
    searched = "、".join(_label(entry, f) for f in entry.search)
    fields: dict[str, Any] = {
        "q": (str | None, Field(None, max_length=100, title="关键词",
                                description=f"在以下字段中模糊查找：{searched}")),
    }
    for field_name in entry.filters:
        fields[field_name] = (_filter_type(entry.model._meta.get_field(field_name)) | None,
                              doc(entry.model, field_name, None))
    return create_model(name, __base__=Schema, **fields)


def _label(entry: RegistryEntry, field_name: str) -> str:
    return str(entry.model._meta.get_field(field_name).verbose_name)


def _filter_type(field: models.Field) -> Any:
    if field.is_relation:
        return int
    if isinstance(field, models.BooleanField):
        return bool
    if field.choices:
        return Literal[tuple(value for value, _ in field.choices)]
    return str
