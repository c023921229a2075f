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
from sanxiang.evidence.tests.test_ingest import chunks, describe

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def dossier(cw, settings, tmp_path) -> Path:
    settings.CASES_DOCUMENT_RENDERING = "sync"
    case = walk_to(cw, CaseState.EXAMINATION)
    officer = cw.user("officer")
    services.ingest(officer, case, chunks(media.jpeg_with_exif()), original_name="现场照片.jpg",
                    description=describe(cw, category="physical"))
    services.ingest(officer, case, chunks(media.wav()), original_name="询问录音.wav", description=describe(cw))
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


def _with_receipts(dossier: Path, change) -> Path:
    files = members(dossier)
    receipts = json.loads(files["ledger/receipts.json"])
    change(receipts)
    data = json.dumps(receipts, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["ledger/receipts.json"] = hashlib.sha256(data).hexdigest()
    return rewrite(dossier, {**files, "ledger/receipts.json": data, "manifest.json": json.dumps(manifest).encode()})


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
