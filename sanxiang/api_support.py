"""Pieces every API router shares: error bodies, bounded pagination, stable ordering.

Kept apart from ``sanxiang.api`` (which imports the routers) so routers can import it freely.
"""

from typing import Any

from django.db import models
from ninja import Field, Schema
from pydantic import create_model

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明（中文）。")


class ValidationErrorOut(Schema):
    detail: str = Field(..., description="错误概述（中文）。")
    errors: dict[str, list[str]] = Field(
        ..., description="按字段列出的错误信息；“__all__”表示不属于单个字段的错误。"
    )


# The error answers every signed-in operation may give; each operation adds its own success code.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, title="每页条数",
                       description=f"每页条数，最大 {MAX_PAGE_SIZE}，超过按 {MAX_PAGE_SIZE} 计。")
    offset: int = Field(0, ge=0, title="起始位置", description="跳过的条数（从 0 开始）。")


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A response schema ``{count, limit, offset, items: [item]}`` named ``name``."""
    return create_model(
        name, __base__=Schema,
        count=(int, Field(..., description="符合条件的总条数。")),
        limit=(int, Field(..., description="本页实际使用的每页条数。")),
        offset=(int, Field(..., description="本页起始位置。")),
        items=(list[item], Field(..., description="本页数据。")),
    )


def stable_order(queryset: models.QuerySet) -> models.QuerySet:
    """Order by the model's default ordering with the primary key last, so pages never overlap."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not ordering or ordering[-1].lstrip("-") not in {"pk", "id"}:
        ordering.append("pk")
    return queryset.order_by(*ordering)


def paginate(queryset: models.QuerySet, page: PageParams) -> dict[str, Any]:
    """One page of ``queryset`` (stably ordered), never more than MAX_PAGE_SIZE rows."""
    limit = min(page.limit, MAX_PAGE_SIZE)
    rows = list(stable_order(queryset)[page.offset:page.offset + limit])
    return {"count": queryset.count(), "limit": limit, "offset": page.offset, "items": rows}
