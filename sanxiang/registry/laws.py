"""The law library (法规库): loading law texts into Law/Article rows.

National laws and regulations ship with the platform under ``registry/data/laws/`` and are
loaded by ``manage.py load_law`` (no agency: every user reads them, nobody edits them in the
UI). Loading is idempotent: a law is identified by title and promulgation date, its articles
by number; running the same load twice changes nothing.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sanxiang.ledger.services import Subject, record
from sanxiang.registry.choices import LawLevel, LawStatus
from sanxiang.registry.lawtext import LawTextError, ParsedArticle, infer_dates, parse_law
from sanxiang.registry.models import Article, Law

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "laws"
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


@dataclass(frozen=True)
class LawMeta:
    """What the text itself does not say reliably: level, issuing body, dates, status."""

    level: str
    issuing_body: str = ""
    promulgated_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    status: str = LawStatus.IN_FORCE


@dataclass(frozen=True)
class ShippedLaw:
    path: Path
    meta: LawMeta
    note: str = ""


@dataclass(frozen=True)
class LawImport:
    """The outcome of one load: the law and how many rows were created or changed."""

    law: Law
    law_created: bool
    law_updated: bool
    articles_created: int
    articles_updated: int
    articles_deleted: int

    @property
    def changed(self) -> bool:
        return self.law_created or self.law_updated or bool(
            self.articles_created or self.articles_updated or self.articles_deleted)


def shipped_laws() -> list[ShippedLaw]:
    """The laws listed in ``data/laws/index.json``, in the order listed."""
    index = json.loads((SHIPPED_DIR / "index.json").read_text(encoding="utf-8"))
    return [ShippedLaw(path=SHIPPED_DIR / row["file"], meta=_meta_from_row(row), note=row.get("note", ""))
            for row in index["laws"]]


def shipped_meta_for(path: Path) -> LawMeta | None:
    """Metadata of a shipped file with the same file name as ``path``, if any."""
    return next((s.meta for s in shipped_laws() if s.path.name == path.name), None)


def _meta_from_row(row: dict[str, str]) -> LawMeta:
    if row["level"] not in LawLevel.values or row.get("status", LawStatus.IN_FORCE) not in LawStatus.values:
        raise ValueError(f"index.json 中 {row['file']} 的效力级别或时效性代码无效")
    return LawMeta(
        level=row["level"], issuing_body=row.get("issuing_body", ""),
        promulgated_on=_iso(row.get("promulgated_on")), effective_on=_iso(row.get("effective_on")),
        status=row.get("status", LawStatus.IN_FORCE),
    )


def _iso(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def date_from_file_name(path: Path) -> datetime.date | None:
    """"行政处罚法(2021-01-22).md" → 2021-01-22; None when the name carries no date."""
    match = _FILE_DATE.search(path.name)
    return datetime.date.fromisoformat(match.group(1)) if match else None


def guess_meta(preamble: str) -> tuple[str, str] | None:
    """(level, issuing body) read from a preamble's wording, or None if it says nothing clear."""
    if "国务院令" in preamble or "国务院关于" in preamble:
        return LawLevel.ADMIN_REGULATION, "国务院"
    if "全国人民代表大会常务委员会" in preamble:
        return LawLevel.LAW, "全国人民代表大会常务委员会"
    if "全国人民代表大会" in preamble:
        return LawLevel.LAW, "全国人民代表大会"
    return None


def load_law_text(text: str, **meta: object) -> Law:
    """Parse ``text`` and create or update the national law it contains; return the Law.

    Keyword arguments are the fields of :class:`LawMeta` (``level`` is required).
    Raises LawTextError if the text cannot be split.
    """
    return import_law_text(text, LawMeta(**meta)).law  # type: ignore[arg-type]


@transaction.atomic
def import_law_text(text: str, meta: LawMeta) -> LawImport:
    """Parse ``text`` and upsert the law and its articles in one transaction.

    The law is found by title and promulgation date (taken from ``meta`` or, failing that,
    from the preamble). Articles are matched by number: new ones are created, changed ones
    updated, and ones no longer in the text deleted unless an enforcement item cites them.
    """
    parsed = parse_law(text)
    promulgated = meta.promulgated_on or infer_dates(parsed.preamble)[0]
    effective = meta.effective_on or infer_dates(parsed.preamble)[1]
    fields = {"level": meta.level, "issuing_body": meta.issuing_body, "effective_on": effective,
              "status": meta.status, "preamble": parsed.preamble}
    law, created, updated = _upsert_law(parsed.title, promulgated, fields)
    counts = _sync_articles(law, parsed.articles)
    result = LawImport(law, created, updated, *counts)
    if result.changed:
        # The text's own hash is recorded, so the articles in force can be traced to the source.
        record(event_type="registry.law.loaded", actor=None, agency=None, subject=Subject.of(law),
               summary=f"载入法规《{law.title}》：新增 {counts[0]} 条、修改 {counts[1]} 条、删除 {counts[2]} 条",
               files=[hashlib.sha256(text.encode("utf-8")).hexdigest()])
    return result


def _upsert_law(title: str, promulgated: datetime.date | None,
                fields: dict[str, object]) -> tuple[Law, bool, bool]:
    law = Law.objects.select_for_update().filter(title=title, promulgated_on=promulgated).first()
    if law is None:
        law = Law(title=title, promulgated_on=promulgated, **fields)
        law.full_clean()
        law.save()
        return law, True, False
    if law.agency_id is not None:
        raise LawTextError(f"《{title}》（{promulgated}）已由{law.agency}录入，不能作为全国性法规覆盖")
    changed = [name for name, value in fields.items() if getattr(law, name) != value]
    for name in changed:
        setattr(law, name, fields[name])
    if changed:
        law.full_clean()
        law.save(update_fields=changed)
    return law, False, bool(changed)


def _sync_articles(law: Law, parsed: list[ParsedArticle]) -> tuple[int, int, int]:
    existing = {a.number: a for a in law.articles.all()}
    new, changed = [], []
    for p in parsed:
        row = existing.get(p.number)
        if row is None:
            new.append(Article(law=law, number=p.number, label=p.label, chapter=p.chapter, text=p.text))
        elif (row.label, row.chapter, row.text) != (p.label, p.chapter, p.text):
            row.label, row.chapter, row.text = p.label, p.chapter, p.text
            changed.append(row)
    Article.objects.bulk_create(new)
    Article.objects.bulk_update(changed, ["label", "chapter", "text"])
    return len(new), len(changed), _delete_stale(law, {p.number for p in parsed})


def _delete_stale(law: Law, keep: set[int]) -> int:
    stale = law.articles.exclude(number__in=keep)
    cited = stale.filter(items__isnull=False).distinct()
    if cited.exists():
        labels = "、".join(a.label for a in cited)
        raise LawTextError(f"新文本中已没有{labels}，但仍有执法事项引用这些条款，请先调整事项的法律依据")
    _, per_model = stale.delete()
    return per_model.get(Article._meta.label, 0)


def load_shipped_laws() -> list[LawImport]:
    """Load every shipped law (idempotent)."""
    return [import_law_text(s.path.read_text(encoding="utf-8"), s.meta) for s in shipped_laws()]
