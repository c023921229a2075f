"""Registry API at /api/v1/registry/: list, detail, create and update for every registry.

The operations are generated from ``REGISTRIES`` (the same table the pages and Excel read), one
set per key: ``GET /<key>/``, ``POST /<key>/``, ``GET /<key>/{id}``, ``PATCH /<key>/{id}``.
Reads are narrowed by ``access.restrict``/``get_for_user`` (other agencies' rows are 404), writes
go through ``registry.services`` (403 without permission, 422 with field errors on bad data).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from sanxiang.accounts.access import Action, can, get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.accounts.models import Jurisdiction, User
from sanxiang.api_support import READ_ERRORS, WRITE_ERRORS, PageParams, page_schema, paginate
from sanxiang.registry import api_schemas as s
from sanxiang.registry import models as m
from sanxiang.registry.filters import filter_queryset
from sanxiang.registry.registries import REGISTRIES, RegistryEntry
from sanxiang.registry.services import create_object, update_object


@dataclass(frozen=True)
class Relation:
    """How ids sent by a client become rows: only rows from ``rows(user)`` may be linked."""

    rows: Callable[[User], models.QuerySet]
    message: str
    many: bool = False


def _own_items(user: User) -> models.QuerySet:
    # A benchmark or random-inspection item may only point at an item of the writer's own agency.
    return restrict(m.EnforcementItem.objects.all(), user, Action.CHANGE)


OWN_ITEM = Relation(_own_items, "执法事项不存在或不属于本机关")
ARTICLES = Relation(lambda user: restrict(m.Article.objects.all(), user), "法律依据中有不存在的条款",
                    many=True)
# Jurisdictions are public master data: any existing node may be a target's region.
REGION = Relation(lambda user: Jurisdiction.objects.all(), "所在区域不存在")


@dataclass(frozen=True)
class RegistryApi:
    """What the API needs to know about one registry beyond ``RegistryEntry``."""

    out: type[Schema]
    write: type[s.InputSchema]
    name: str  # prefix of the generated schema names in the OpenAPI document
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    relations: Mapping[str, Relation] = field(default_factory=dict)


APIS: dict[str, RegistryApi] = {
    "officers": RegistryApi(s.OfficerOut, s.OfficerIn, "Officer", ("agency",)),
    "items": RegistryApi(s.ItemOut, s.ItemIn, "Item", ("agency",), ("legal_basis__law",),
                         {"legal_basis": ARTICLES}),
    "laws": RegistryApi(s.LawOut, s.LawIn, "Law", ("agency",)),
    "benchmarks": RegistryApi(s.BenchmarkOut, s.BenchmarkIn, "Benchmark", ("agency", "item"),
                              relations={"item": OWN_ITEM}),
    "targets": RegistryApi(s.TargetOut, s.TargetIn, "Target", ("agency", "region"),
                           relations={"region": REGION}),
    "random_items": RegistryApi(s.RandomItemOut, s.RandomItemIn, "RandomItem", ("agency", "item"),
                                relations={"item": OWN_ITEM}),
}

router = Router()


def _queryset(entry: RegistryEntry, spec: RegistryApi) -> models.QuerySet:
    return entry.model.objects.select_related(*spec.select).prefetch_related(*spec.prefetch)


def _as_params(filters: Schema) -> dict[str, str]:
    """Validated filter values back to the strings ``filter_queryset`` reads."""
    params = {}
    for name, value in filters.model_dump(exclude_none=True).items():
        params[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return params


def _plain(value: Any) -> Any:
    """Enum members (from choice fields) to their stored values, also inside lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _resolve(user: User, spec: RegistryApi, data: Mapping[str, Any]) -> tuple[dict, dict]:
    """Split ``data`` into model fields and many-to-many values, turning ids into rows.

    Raises ValidationError naming every field whose ids the user may not link to.
    """
    fields: dict[str, Any] = {}
    m2m: dict[str, list] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        relation = spec.relations.get(name)
        if relation is None:
            fields[name] = _plain(value)
        elif relation.many:
            wanted = set(value or [])
            rows = list(relation.rows(user).filter(pk__in=wanted))
            m2m[name] = rows
            if len(rows) != len(wanted):
                errors[name] = [relation.message]
        elif value is None:
            fields[name] = None
        else:
            fields[name] = relation.rows(user).filter(pk=value).first()
            if fields[name] is None:
                errors[name] = [relation.message]
    if errors:
        raise ValidationError(errors)
    return fields, m2m


def _add_registry(key: str, entry: RegistryEntry, spec: RegistryApi) -> None:
    """Register the four operations of one registry on ``router``."""
    filters_schema = s.filter_schema(entry, f"{spec.name}Filters")
    page_out = page_schema(spec.out, f"{spec.name}Page")
    patch_in = s.patch_schema(spec.write, f"{spec.name}Patch")
    tags = [entry.title]

    def list_rows(request: HttpRequest, filters: Query[filters_schema], page: Query[PageParams]) -> dict:
        rows = restrict(_queryset(entry, spec), current_user(request))
        return paginate(filter_queryset(entry, rows, _as_params(filters)), page)

    def detail(request: HttpRequest, obj_id: int) -> models.Model:
        return get_for_user(_queryset(entry, spec), current_user(request), pk=obj_id)

    def create(request: HttpRequest, payload: spec.write) -> Status:
        user = current_user(request)
        if not can(user, Action.ADD, entry.model):  # before resolving ids: 403 beats 422
            raise PermissionDenied(f"无权新增{entry.title}")
        fields, m2m = _resolve(user, spec, payload.model_dump())
        obj = create_object(user, entry.model, fields, m2m)
        return Status(201, _queryset(entry, spec).get(pk=obj.pk))

    def update(request: HttpRequest, obj_id: int, payload: patch_in) -> models.Model:
        user = current_user(request)
        obj = get_for_user(entry.model.objects.all(), user, Action.CHANGE, pk=obj_id)
        fields, m2m = _resolve(user, spec, payload.model_dump(exclude_unset=True))
        update_object(user, obj, fields, m2m)
        return _queryset(entry, spec).get(pk=obj.pk)

    operations = [
        (f"/{key}/", "GET", list_rows, {200: page_out, **READ_ERRORS}, "list", f"{entry.title}列表",
         "可见范围内的记录，按固定顺序分页；q 为关键词，其余参数为精确筛选。"),
        (f"/{key}/", "POST", create, {201: spec.out, **WRITE_ERRORS}, "create", f"新增{entry.title}",
         "记录归属于当前用户所在机关；需要系统管理员角色。"),
        (f"/{key}/{{obj_id}}", "GET", detail, {200: spec.out, **READ_ERRORS}, "detail", f"{entry.title}详情",
         "不可见的记录返回 404。"),
        (f"/{key}/{{obj_id}}", "PATCH", update, {200: spec.out, **WRITE_ERRORS}, "update",
         f"修改{entry.title}", "只修改请求中给出的字段；可见但无权修改的记录返回 403。"),
    ]
    for path, method, view, response, verb, summary, description in operations:
        router.add_api_operation(path, [method], view, response=response, tags=tags, summary=summary,
                                 description=description, operation_id=f"registry_{key}_{verb}",
                                 url_name=f"registry_{key}_{verb}")


class ArticleFilters(Schema):
    q: str | None = Field(None, max_length=100, title="关键词", description="在条文中模糊查找。")


ArticlePage = page_schema(s.ArticleOut, "ArticlePage")


@router.get("/laws/{obj_id}/articles", response={200: ArticlePage, **READ_ERRORS}, tags=["法律法规"],
            summary="法规条款", operation_id="registry_laws_articles", url_name="registry_laws_articles")
def law_articles(request: HttpRequest, obj_id: int, filters: Query[ArticleFilters],
                 page: Query[PageParams]) -> dict:
    """按条号顺序分页列出一部法规的条款。"""
    user = current_user(request)
    law = get_for_user(m.Law.objects.all(), user, pk=obj_id)
    articles = restrict(m.Article.objects.filter(law=law), user).order_by("number", "pk")
    if filters.q:
        articles = articles.filter(text__icontains=filters.q.strip())
    return paginate(articles, page)


for _key, _entry in REGISTRIES.items():
    _add_registry(_key, _entry, APIS[_key])
