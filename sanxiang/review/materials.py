"""送审材料: the checklist a submission must satisfy (seeds: 明确法制审核送审材料).

Some items are found in the case itself (evidence, the proposal and its basis, the hearing's
record); the handler writes the others with the submission (调查终结报告, 裁量基准适用说明).
A missing item blocks the submission and is named.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sanxiang.cases.choices import CaseState, DecisionType, DocumentKind
from sanxiang.cases.models import Case

TEXT_MATERIALS = ("investigation_report", "discretion_note", "hearing_record")


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    ok: bool
    detail: str
    text: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _text(data: dict, code: str) -> str:
    return str(data.get(code) or "").strip()


def _evidence(case: Case) -> Material:
    count = case.evidence.count()
    records = case.documents.filter(kind__in=(DocumentKind.INSPECTION_RECORD, DocumentKind.INQUIRY_RECORD)).count()
    ok = bool(count or records)
    detail = f"证据 {count} 件，笔录 {records} 份" if ok else "本案尚无证据材料或现场检查、询问笔录"
    return Material("evidence", "证据材料", ok, detail)


def _proposal(case: Case) -> Material:
    basis = case.proposed_basis.count()
    ok = bool(case.proposed_type) and (basis > 0 or case.proposed_type != DecisionType.PENALTY)
    detail = f"{case.get_proposed_type_display()}，适用依据 {basis} 条" if case.proposed_type else "未填写拟处理意见"
    if case.proposed_type == DecisionType.PENALTY and not basis:
        detail += "（须选择适用依据）"
    return Material("proposal", "拟处理意见及依据", ok, detail)


def _discretion(case: Case, data: dict) -> Material:
    text = _text(data, "discretion_note")
    needed = case.proposed_type == DecisionType.PENALTY
    benchmark = str(case.benchmark) if case.benchmark_id else "未选择裁量基准"
    ok = bool(text) or not needed
    return Material("discretion_note", "裁量基准适用说明", ok, benchmark if ok else f"{benchmark}；须说明裁量理由", text)


def _hearing(case: Case, data: dict) -> Material | None:
    if not case.hearing_concluded_on:
        return None
    text = _text(data, "hearing_record")
    recorded = case.evidence.filter(step=CaseState.HEARING).exists()
    ok = bool(text or recorded)
    detail = "已上传听证记录" if recorded else ("已附听证笔录" if text else "已举行听证，须附听证笔录")
    return Material("hearing_record", "听证笔录", ok, detail, text)


def checklist(case: Case, data: dict) -> list[Material]:
    """Every item of the checklist for ``case`` with the submission's texts ``data``."""
    report = _text(data, "investigation_report")
    items = [
        Material("investigation_report", "调查终结报告", bool(report),
                 "已填写" if report else "须填写调查终结报告（查明的事实、证据、处理建议）", report),
        _evidence(case),
        _proposal(case),
        _discretion(case, data),
        _hearing(case, data),
    ]
    return [m for m in items if m is not None]


def missing(items: list[Material]) -> list[str]:
    return [f"{m.label}（{m.detail}）" for m in items if not m.ok]
