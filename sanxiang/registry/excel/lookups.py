"""Resolving references in a sheet (事项编码, 行政区划, 法律条款) to primary keys.

One :class:`Lookups` lives for one import. Each table is loaded on first use and kept: they are
small (an agency's items, the jurisdiction tree, the articles of the laws a file cites), unlike the
rows being imported, which are never kept.
"""

import re
from functools import cached_property

from django.db.models import Case, F, IntegerField, Value, When

from sanxiang.accounts.models import Agency, Jurisdiction
from sanxiang.registry.choices import LawStatus
from sanxiang.registry.excel.cells import CellError, as_text, chinese_number
from sanxiang.registry.models import Article, EnforcementItem, Law

BASIS_EXAMPLE = "《中华人民共和国行政处罚法》第五十一条"
_CITATION = re.compile(r"《([^《》]+)》([^《]*)")
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")
_SEPARATORS = re.compile(r"[\s、，,；;及和]+")


class Lookups:
    """Reference tables for an import into ``agency``."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        self._articles: dict[int, dict[int, int]] = {}
        self._laws: dict[str, int | None] = {}

    @cached_property
    def item_ids(self) -> dict[str, int]:
        """事项编码 → pk, for the importing agency's own items only."""
        return dict(EnforcementItem.objects.filter(agency=self.agency).values_list("code", "pk"))

    def item(self, raw: object) -> int:
        code = as_text(raw)
        try:
            return self.item_ids[code]
        except KeyError:
            raise CellError(f"未找到事项编码为“{code}”的本机关执法事项") from None

    @cached_property
    def _jurisdictions(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        by_code: dict[str, int] = {}
        by_name: dict[str, list[int]] = {}
        for pk, code, name in Jurisdiction.objects.values_list("pk", "code", "name"):
            by_code[code] = pk
            by_name.setdefault(name, []).append(pk)
        return by_code, by_name

    def jurisdiction(self, raw: object) -> int:
        """A jurisdiction by its code or, when unambiguous, its name."""
        text = as_text(raw)
        by_code, by_name = self._jurisdictions
        if text in by_code:
            return by_code[text]
        matches = by_name.get(text, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise CellError(f"有多个名为“{text}”的行政区划，请填写行政区划代码")
        raise CellError(f"未找到行政区划“{text}”（可填写名称或行政区划代码）")

    def articles(self, raw: object) -> list[int]:
        """Citations like 《中华人民共和国行政处罚法》第五十一条、第五十二条 → Article pks."""
        text = as_text(raw)
        citations = _CITATION.findall(text)
        if not citations or _CITATION.sub("", text).strip(" 、，,；;\n"):
            raise CellError(f"法律依据格式不正确：“{text}”，应如{BASIS_EXAMPLE}，多条以“、”分隔")
        pks: list[int] = []
        for title, rest in citations:
            for pk in self._cited_articles(title.strip(), rest):
                if pk not in pks:
                    pks.append(pk)
        return pks

    def _cited_articles(self, title: str, rest: str) -> list[int]:
        numbers_text = _ARTICLE.findall(rest)
        if not numbers_text or _SEPARATORS.sub("", _ARTICLE.sub("", rest)):
            raise CellError(f"《{title}》后应写明条号，如{BASIS_EXAMPLE}")
        articles = self._law_articles(title)
        pks = []
        for number_text in numbers_text:
            number = chinese_number(number_text)
            if number not in articles:
                raise CellError(f"《{title}》中没有第{number_text}条")
            pks.append(articles[number])
        return pks

    def _law_articles(self, title: str) -> dict[int, int]:
        law_id = self._law_id(title)
        if law_id is None:
            raise CellError(f"法规库中没有《{title}》，请先录入该法规")
        if law_id not in self._articles:
            self._articles[law_id] = dict(Article.objects.filter(law_id=law_id).values_list("number", "pk"))
        return self._articles[law_id]

    def _law_id(self, title: str) -> int | None:
        """The version of the law cited by title: the one in force, else the latest."""
        if title not in self._laws:
            in_force_first = Case(When(status=LawStatus.IN_FORCE, then=Value(0)), default=Value(1),
                                  output_field=IntegerField())
            latest = F("promulgated_on").desc(nulls_last=True)
            law = (Law.objects.filter(title=title).order_by(in_force_first, latest, "-pk")
                   .values_list("pk", flat=True).first())
            self._laws[title] = law
        return self._laws[title]
