"""Column specifications: how one model field appears in a sheet, in both directions.

A :class:`Column` is built from the model field, so its header is the field's ``verbose_name``,
its note the ``help_text`` and "required" follows ``blank``. The same column parses the cell on
import and renders the value on export, so an exported file imports back unchanged.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from sanxiang.registry.excel import cells
from sanxiang.registry.excel.lookups import BASIS_EXAMPLE, Lookups

Parser = Callable[[object, Lookups], object]
Renderer = Callable[[models.Model], object]


@dataclass(frozen=True)
class Column:
    """One column of a registry sheet.

    ``attname`` is the instance attribute the parsed value goes to (``item_id`` for a foreign
    key); ``m2m`` columns are set after the rows exist. ``choices`` feed the template's
    drop-down list; ``allowed`` describes the accepted values on the 填写说明 sheet.
    """

    name: str
    attname: str
    header: str
    parse: Parser
    render: Renderer
    required: bool
    default: object = None
    note: str = ""
    allowed: str = ""
    choices: tuple[str, ...] = ()
    m2m: bool = False
    width: int = field(default=16)


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _base(model: type[models.Model], name: str, **extra: object) -> dict[str, object]:
    f = _field(model, name)
    required = not (f.blank or f.has_default())
    default = f.get_default() if not f.many_to_many else []
    if default is None and isinstance(f, models.CharField | models.TextField) and not f.null:
        default = ""
    values: dict[str, object] = {"name": name, "attname": getattr(f, "attname", name),
                                 "header": str(f.verbose_name), "required": required, "default": default,
                                 "note": str(f.help_text or "")}
    values.update(extra)
    return values


def text(model: type[models.Model], name: str, *, width: int = 20) -> Column:
    max_length = getattr(_field(model, name), "max_length", None)
    allowed = f"文本，最多{max_length}个字符" if max_length else "文本"
    return Column(**_base(model, name, allowed=allowed, width=width),
                  parse=lambda raw, _: cells.parse_text(raw, max_length),
                  render=lambda obj: getattr(obj, name))


def _date_render(name: str) -> Renderer:
    def render(obj: models.Model) -> str | None:
        value: datetime.date | None = getattr(obj, name)
        return value.isoformat() if value else None
    return render


def date(model: type[models.Model], name: str) -> Column:
    return Column(**_base(model, name, allowed=f"日期，格式{cells.DATE_FORMAT_HINT}", width=12),
                  parse=lambda raw, _: cells.parse_date(raw), render=_date_render(name))


def choice(model: type[models.Model], name: str, aliases: dict[str, str] | None = None) -> Column:
    f = _field(model, name)
    labels = cells.label_map(f.choices, aliases)
    shown = tuple(str(label) for _, label in f.choices)
    display = dict(f.choices)
    allowed = "、".join(shown) + "（填写中文名称）"
    return Column(**_base(model, name, allowed=allowed, choices=shown, width=12),
                  parse=lambda raw, _: cells.parse_choice(raw, labels),
                  render=lambda obj: str(display.get(getattr(obj, name), getattr(obj, name))))


def choice_list(model: type[models.Model], name: str, choices: list[tuple[str, str]],
                aliases: dict[str, str] | None = None) -> Column:
    """A JSON list of codes, written as labels separated by 、."""
    labels = cells.label_map(choices, aliases)
    display = dict(choices)
    shown = [str(label) for _, label in choices]
    allowed = "可填多个，以“、”分隔：" + "、".join(shown)
    return Column(**_base(model, name, allowed=allowed, width=24),
                  parse=lambda raw, _: cells.parse_choice_list(raw, labels),
                  render=lambda obj: cells.LIST_SEPARATOR.join(str(display.get(c, c))
                                                               for c in getattr(obj, name)))


def boolean(model: type[models.Model], name: str) -> Column:
    return Column(**_base(model, name, allowed="是、否（空白视为否）", choices=("是", "否"), width=10),
                  parse=lambda raw, _: cells.parse_bool(raw),
                  render=lambda obj: cells.bool_label(getattr(obj, name)))


def _decimal_render(name: str) -> Renderer:
    def render(obj: models.Model) -> Decimal | None:
        return getattr(obj, name)
    return render


def decimal(model: type[models.Model], name: str, allowed: str = "数字") -> Column:
    return Column(**_base(model, name, allowed=allowed, width=12),
                  parse=lambda raw, _: cells.parse_decimal(raw), render=_decimal_render(name))


def uscc(model: type[models.Model], name: str) -> Column:
    return Column(**_base(model, name, allowed="18位统一社会信用代码，按GB 32100校验", width=22),
                  parse=lambda raw, _: cells.parse_uscc(raw), render=lambda obj: getattr(obj, name))


def item_ref(model: type[models.Model], name: str) -> Column:
    """A foreign key to an enforcement item of the importing agency, by its 事项编码."""
    def render(obj: models.Model) -> str | None:
        item = getattr(obj, name)
        return item.code if item else None
    return Column(**_base(model, name, allowed="本机关已有执法事项的事项编码", width=16),
                  parse=lambda raw, lookups: lookups.item(raw), render=render)


def jurisdiction_ref(model: type[models.Model], name: str) -> Column:
    def render(obj: models.Model) -> str | None:
        region = getattr(obj, name)
        return region.code if region else None
    return Column(**_base(model, name, allowed="行政区划名称或代码（名称重复时须填代码）", width=14),
                  parse=lambda raw, lookups: lookups.jurisdiction(raw), render=render)


def articles_ref(model: type[models.Model], name: str) -> Column:
    def render(obj: models.Model) -> str:
        return cells.LIST_SEPARATOR.join(f"《{a.law.title}》{a.label}" for a in getattr(obj, name).all())
    allowed = (f"法规库中已有的条款，如{BASIS_EXAMPLE}；"
               "同一法规多条可写“第五十一条、第五十二条”，多部法规以“、”分隔")
    return Column(**_base(model, name, allowed=allowed, m2m=True, width=40),
                  parse=lambda raw, lookups: lookups.articles(raw), render=render)
