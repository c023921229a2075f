"""Offline verification of a dossier ZIP. Pure Python: no Django, no database."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from sanxiang.dossier import FORMAT, FORMATS, READ_EVENTS
from sanxiang.ledger.canonical import snapshot_hash
from sanxiang.ledger.receipt import verify_receipt

CHUNK = 1024 * 1024
OWN = {"manifest.json"}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: str, keys: Sequence[str] = ()) -> Report:
    report = Report()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"无法打开案卷文件：{exc}")
        return report
    with archive:
        manifest = _manifest(archive, report)
        if manifest is None:
            return report
        _files(archive, manifest["files"], report)
        entries = _receipts(archive, manifest["files"], keys, report)
        record = _bindings(archive, manifest["files"], list(entries.values()), report)
        if record is not None and manifest["format"] != "sanxiang-dossier/1":
            _related(record, entries, report)
            _reads(record, entries, report)
    return report


def _manifest(archive: zipfile.ZipFile, report: Report) -> dict | None:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        report.problems.append("缺少或无法读取 manifest.json")
        return None
    if manifest.get("format") not in FORMATS or not isinstance(manifest.get("files"), dict):
        report.problems.append(f"manifest.json 不是电子案卷清单（format 应为 {FORMAT}）")
        return None
    report.facts.append(f"案号 {manifest.get('case_number') or '（未立案）'}，清单列出 {len(manifest['files'])} 个文件")
    return manifest


def _files(archive: zipfile.ZipFile, listed: dict[str, str], report: Report) -> None:
    present = {info.filename for info in archive.infolist() if not info.is_dir()}
    for name in sorted(set(listed) - present):
        report.problems.append(f"缺少文件：{name}")
    for name in sorted(present - set(listed) - OWN):
        report.problems.append(f"多出清单之外的文件：{name}")
    for name in sorted(set(listed) & present):
        if _digest(archive, name) != listed[name]:
            report.problems.append(f"文件内容与清单不符（已被改动）：{name}")


def _keys(archive: zipfile.ZipFile, keys: Sequence[str], report: Report) -> list[str]:
    if keys:
        return list(keys)
    report.facts.append("未指定验证公钥，使用案卷自带的 keys.txt：请与机关公布的公钥核对")
    try:
        return [line.strip() for line in archive.read("keys.txt").decode().splitlines() if line.strip()]
    except KeyError:
        report.problems.append("未指定验证公钥，案卷中也没有 keys.txt")
        return []


def _receipts(archive: zipfile.ZipFile, listed: dict[str, str], keys: Sequence[str],
              report: Report) -> dict[int, dict]:
    """The entries whose receipts verify, by index."""
    if "ledger/receipts.json" not in listed:
        report.problems.append("缺少全过程记录回执 ledger/receipts.json")
        return {}
    verifier_keys = _keys(archive, keys, report)
    if not verifier_keys:
        return {}
    proven = {}
    for receipt in json.loads(archive.read("ledger/receipts.json")):
        result = verify_receipt(receipt, verifier_keys)
        if not result.ok:
            report.problems.append(f"第 {receipt.get('index')} 条记录的回执未通过验证：" + "；".join(result.reasons))
            continue
        proven[receipt["index"]] = json.loads(receipt["entry"])
    report.facts.append(f"{len(proven)} 条全过程记录经包含证明与签名检查点验证")
    return proven


def _bindings(archive: zipfile.ZipFile, listed: dict[str, str], entries: list[dict], report: Report) -> dict | None:
    """Files to proven entries, and case.json's case to the last recorded state; returns case.json."""
    named = {digest for entry in entries for digest in entry.get("files", [])}
    for name, digest in sorted(listed.items()):
        bound = name.startswith("evidence/") or (name.startswith("documents/") and not name.endswith(".sig"))
        if bound and digest not in named:
            report.problems.append(f"文件未被任何经验证的全过程记录引用：{name}")
    try:
        record = json.loads(archive.read("case.json"))
    except (KeyError, ValueError):
        report.problems.append("缺少或无法读取 case.json")
        return None
    about_case = [e for e in entries if e.get("object") == {"type": "cases.case", "id": str(record.get("id"))}
                  and e.get("snapshot")]
    if not about_case:
        report.problems.append("全过程记录中没有该案件的记录")
        return record
    last = about_case[-1]
    if snapshot_hash(record.get("snapshot"), record.get("algorithm", "sha256")) != last["snapshot"]:
        report.problems.append("case.json 中的案件数据与全过程记录最后一次记录的状态不符")
    else:
        report.facts.append("案件数据与全过程记录最后一次记录的状态一致")
    return record


def _last_snapshots(entries: dict[int, dict]) -> dict[tuple[str, str], str]:
    """(object type, id) → the snapshot hash the last proven entry about it recorded."""
    last: dict[tuple[str, str], str] = {}
    for index in sorted(entries):
        entry = entries[index]
        target = entry.get("object") or {}
        if entry.get("snapshot") and target.get("type") != "cases.case":
            last[(target.get("type"), target.get("id"))] = entry["snapshot"]
    return last


def _related(record: dict, entries: dict[int, dict], report: Report) -> None:
    """Each related row in case.json is what the ledger last recorded; no proven row is left out."""
    algorithm = record.get("algorithm", "sha256")
    recorded = _last_snapshots(entries)
    listed, before = set(), len(report.problems)
    for row in record.get("related", []):
        key = (row.get("object", {}).get("type"), row.get("object", {}).get("id"))
        listed.add(key)
        if key not in recorded:
            report.problems.append(f"case.json 中的 {key[0]} #{key[1]} 没有经验证的全过程记录")
        elif snapshot_hash(row.get("snapshot"), algorithm) != recorded[key]:
            report.problems.append(f"case.json 中的 {key[0]} #{key[1]} 与全过程记录最后一次记录的状态不符")
    for key in sorted(set(recorded) - listed):
        report.problems.append(f"case.json 缺少全过程记录中的 {key[0]} #{key[1]}")
    if len(report.problems) == before:
        report.facts.append(f"证据、音像记录缺失说明与评查意见共 {len(listed)} 项，与全过程记录一致")


def _reads(record: dict, entries: dict[int, dict], report: Report) -> None:
    """The 调阅记录 in case.json are exactly the proven read entries, with their names bound."""
    algorithm = record.get("algorithm", "sha256")
    listed: set[int] = set()
    for read in record.get("reads", []):
        index = read.get("index")
        entry = entries.get(index)
        listed.add(index)
        if entry is None or entry.get("type") not in READ_EVENTS:
            report.problems.append(f"调阅记录第 {index} 条没有经验证的全过程记录")
            continue
        same = all(read.get(k) == entry.get(k) for k in ("type", "time", "actor", "object"))
        if not same or snapshot_hash(read.get("detail"), algorithm) != entry.get("detail"):
            report.problems.append(f"调阅记录第 {index} 条与全过程记录不符（已被改动）")
    for index in sorted(i for i, e in entries.items() if e.get("type") in READ_EVENTS and i not in listed):
        report.problems.append(f"case.json 的调阅记录缺少全过程记录第 {index} 条")
    report.facts.append(f"调阅记录 {len(listed)} 条（截至导出时的检查点）")
