"""The electronic case file: exported by command, verified offline by ``python -m sanxiang.dossier``,
and every kind of tampering named."""

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.dossier.verify import verify
from sanxiang.evidence import samples as media
from sanxiang.evidence import services
from sanxiang.evidence.dossier import export_dossier
from sanxiang.evidence.tests.test_ingest import chunks, describe

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def dossier(cw, settings, tmp_path) -> Path:
    settings.CASES_DOCUMENT_RENDERING = "sync"
    case = walk_to(cw, CaseState.EXAMINATION)
    officer = cw.user("officer")
    photo = services.ingest(officer, case, chunks(media.jpeg_with_exif()), original_name="现场照片.jpg",
                            description=describe(cw, category="physical"))
    sound = services.ingest(officer, case, chunks(media.wav()), original_name="询问录音.wav", description=describe(cw))
    services.record_read(cw.user("supervisor"), photo)  # 调阅: a view, a download, an earlier export
    services.record_read(cw.user("unit_head"), sound, downloaded=True)
    export_dossier(case, tmp_path / "earlier" / "案卷.zip", user=cw.user("supervisor"))
    out = tmp_path / "案卷.zip"
    call_command("export_dossier", case.case_number, "-o", str(out))
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, files: dict[str, bytes]) -> Path:
    out = path.with_name("改动.zip")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def test_an_intact_dossier_verifies_offline(dossier, settings) -> None:
    files = members(dossier)
    names = set(files)
    assert {"manifest.json", "case.json", "ledger/receipts.json", "keys.txt"} <= names
    assert any(n.startswith("evidence/") and n.endswith("现场照片.jpg") for n in names)
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".pdf.sig") for n in names)
    receipts = json.loads(files["ledger/receipts.json"])
    # every receipt is proved against a checkpoint the witness (the 司法局) cosigned
    assert receipts and all(f"— {settings.LEDGER_WITNESS_NAME} " in r["checkpoint"] for r in receipts)
    run = subprocess.run([sys.executable, "-m", "sanxiang.dossier", "verify", str(dossier)], cwd=ROOT,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert "案卷完整" in run.stdout and "案件数据与全过程记录最后一次记录的状态一致" in run.stdout


def _problems(path: Path, keys=()) -> str:
    report = verify(str(path), keys)
    assert not report.ok
    return "\n".join(report.problems)


def test_changed_missing_and_extra_files_are_named(dossier) -> None:
    files = members(dossier)
    photo = next(n for n in files if n.endswith("现场照片.jpg"))
    changed = dict(files)
    changed[photo] = files[photo][:-1] + bytes([files[photo][-1] ^ 1])
    assert f"已被改动）：{photo}" in _problems(rewrite(dossier, changed))
    missing = {k: v for k, v in files.items() if k != photo}
    assert f"缺少文件：{photo}" in _problems(rewrite(dossier, missing))
    extra = {**files, "evidence/99999-补充.jpg": b"x"}
    assert "多出清单之外的文件：evidence/99999-补充.jpg" in _problems(rewrite(dossier, extra))


def test_a_file_swapped_together_with_its_manifest_line_is_caught_by_the_ledger(dossier) -> None:
    files = members(dossier)
    photo = next(n for n in files if n.endswith("现场照片.jpg"))
    manifest = json.loads(files["manifest.json"])
    forged = media.jpeg_with_exif() + b"\x00"
    manifest["files"][photo] = hashlib.sha256(forged).hexdigest()
    swapped = {**files, photo: forged, "manifest.json": json.dumps(manifest).encode()}
    assert f"未被任何经验证的全过程记录引用：{photo}" in _problems(rewrite(dossier, swapped))


def _with_json(dossier: Path, name: str, change, manifest_change=None) -> Path:
    """The dossier with member ``name`` changed and the manifest rewritten to match (what a forger
    who knows the layout does)."""
    files = members(dossier)
    content = json.loads(files[name])
    change(content)
    data = json.dumps(content, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    if manifest_change:
        manifest_change(manifest)
    return rewrite(dossier, {**files, name: data, "manifest.json": json.dumps(manifest).encode()})


def _with_receipts(dossier: Path, change) -> Path:
    return _with_json(dossier, "ledger/receipts.json", change)


def test_a_changed_entry_and_a_forged_checkpoint_fail(dossier) -> None:
    def change_entry(receipts):
        receipts[0]["entry"] = receipts[0]["entry"].replace('"type":"case.', '"type":"case.x')

    assert "包含证明不成立" in _problems(_with_receipts(dossier, change_entry))

    def forge_checkpoint(receipts):
        lines = receipts[-1]["checkpoint"].split("\n")
        lines[1] = str(int(lines[1]) + 1)  # the tree size, under the original signatures
        receipts[-1]["checkpoint"] = "\n".join(lines)

    assert "回执未通过验证" in _problems(_with_receipts(dossier, forge_checkpoint))


def test_keys_given_on_the_command_line_are_the_ones_trusted(dossier, tmp_path) -> None:
    from sanxiang.ledger.keys import generate_private_key
    from sanxiang.ledger.note import Signer

    stranger = Signer("impostor.example", generate_private_key()).verifier.verifier_key()
    assert "回执未通过验证" in _problems(dossier, [stranger])


def test_the_case_file_lists_its_evidence_rows_and_reads(dossier, cw) -> None:
    record = json.loads(members(dossier)["case.json"])
    rows = {r["snapshot"]["original_name"]: r["snapshot"] for r in record["related"]
            if r["object"]["type"] == "evidence.evidence"}
    assert rows["现场照片.jpg"]["proves"] == "当事人店内货架陈列过期牛奶" and rows["现场照片.jpg"]["category"] == "physical"
    reads = [(r["type"], r["detail"]["actor_name"], r["detail"]["summary"]) for r in record["reads"]]
    supervisor, head = str(cw.user("supervisor")), str(cw.user("unit_head"))
    assert reads == [("evidence.viewed", supervisor, "查看证据：现场照片.jpg"),
                     ("evidence.downloaded", head, "下载证据：询问录音.wav"),
                     ("evidence.dossier_exported", supervisor, f"导出电子案卷：{record['case_number']}")]
    # reads are ledger entries like the rest: each has its receipt in the file
    receipts = {r["index"] for r in json.loads(members(dossier)["ledger/receipts.json"])}
    assert {r["index"] for r in record["reads"]} <= receipts
    assert "调阅记录 3 条（截至导出时的检查点）" in verify(str(dossier)).facts


def test_a_read_made_after_the_export_is_not_in_it(dossier, cw) -> None:
    from sanxiang.evidence.models import Evidence

    services.record_read(cw.user("agency_head"), Evidence.objects.latest("id"))
    record = json.loads(members(dossier)["case.json"])
    assert str(cw.user("agency_head")) not in {r["detail"]["actor_name"] for r in record["reads"]}
    assert verify(str(dossier)).ok


def test_changed_or_removed_reads_and_rows_in_the_case_record_are_named(dossier) -> None:
    def rename_reader(record):
        record["reads"][0]["detail"]["actor_name"] = "张三"

    first = json.loads(members(dossier)["case.json"])["reads"][0]["index"]
    assert f"调阅记录第 {first} 条与全过程记录不符（已被改动）" in _problems(_with_json(dossier, "case.json", rename_reader))

    def drop_download(record):
        record["reads"] = [r for r in record["reads"] if r["type"] != "evidence.downloaded"]

    download = next(r for r in json.loads(members(dossier)["case.json"])["reads"] if r["type"] == "evidence.downloaded")
    assert (f"case.json 的调阅记录缺少全过程记录第 {download['index']} 条"
            in _problems(_with_json(dossier, "case.json", drop_download)))

    def restate_what_it_proves(record):
        row = next(r for r in record["related"] if r["snapshot"].get("original_name") == "现场照片.jpg")
        row["snapshot"]["proves"] = "无关事实"

    assert "与全过程记录最后一次记录的状态不符" in _problems(_with_json(dossier, "case.json", restate_what_it_proves))

    def drop_rows(record):
        record["related"] = []

    assert "case.json 缺少全过程记录中的 evidence.evidence" in _problems(_with_json(dossier, "case.json", drop_rows))


def test_a_first_format_dossier_still_verifies(dossier) -> None:
    def first_format(record):
        del record["related"], record["reads"]

    def manifest_v1(manifest):
        manifest["format"] = "sanxiang-dossier/1"

    report = verify(str(_with_json(dossier, "case.json", first_format, manifest_v1)))
    assert report.ok, report.problems
