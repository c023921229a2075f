"""``python -m sanxiang.ledger``: run as a separate process without Django settings. No database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.ledger import merkle
from sanxiang.ledger.receipt import write_slice_jsonl

from .test_receipt import Log

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess:
    # A clean environment: no DJANGO_SETTINGS_MODULE, no data folder, nothing but the interpreter.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "sanxiang.ledger", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def log():
    return Log(12)


def write(path: Path, data) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_verify_receipt_passes(tmp_path, log):
    receipt = write(tmp_path / "receipt.json", log.receipt(3, 12))
    done = run("verify", receipt, "--key", log.keys[0])
    assert done.returncode == 0, done.stderr
    assert "验证通过" in done.stdout
    assert "第 3 条记录包含在 12 条记录的日志中" in done.stdout


def test_verify_does_not_import_django(tmp_path, log):
    receipt = write(tmp_path / "receipt.json", log.receipt(3, 12))
    script = (
        "import runpy, sys\n"
        "try:\n    runpy.run_module('sanxiang.ledger', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", script, "verify", receipt, "--key", log.keys[0]]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_verify_receipt_fails_with_reason(tmp_path, log):
    receipt = write(tmp_path / "receipt.json", log.receipt(3, 12, entry='{"forged":1}'))
    done = run("verify", receipt, "--key", log.keys[0])
    assert done.returncode == 1
    assert "验证失败" in done.stderr and "包含证明不成立" in done.stderr


def test_keys_from_a_file_and_the_cosignature_requirement(tmp_path, log):
    key_file = write(tmp_path / "keys.txt", "# 平台与司法局见证公钥\n" + "\n".join(log.both) + "\n")
    plain = write(tmp_path / "plain.json", log.receipt(3, 12))
    assert run("verify", plain, "--key", key_file).returncode == 1  # no cosignature
    cosigned = write(
        tmp_path / "cosigned.json", log.receipt(3, 12, checkpoint=log.checkpoint(12, cosigned=True))
    )
    done = run("verify", cosigned, "--key", key_file)
    assert done.returncode == 0, done.stderr
    assert "sanxiang.test/witness" in done.stdout


def test_verify_against_newer_checkpoint(tmp_path, log):
    receipt = write(tmp_path / "receipt.json", log.receipt(3, 7))
    newer = write(tmp_path / "checkpoint.txt", log.checkpoint(12))
    proof = write(tmp_path / "proof.json", [p.decode() for p in map(_b64, log.consistency(7, 12))])
    done = run("verify", receipt, "--key", log.keys[0], "--checkpoint", newer, "--consistency-proof", proof)
    assert done.returncode == 0, done.stderr
    assert "历史未被改写" in done.stdout
    wrong = write(tmp_path / "wrong.json", [p.decode() for p in map(_b64, log.consistency(6, 12))])
    done = run("verify", receipt, "--key", log.keys[0], "--checkpoint", newer, "--consistency-proof", wrong)
    assert done.returncode == 1
    assert run("verify", receipt, "--key", log.keys[0], "--checkpoint", newer).returncode == 2


def _b64(data: bytes) -> bytes:
    import base64

    return base64.b64encode(data)


def test_verify_slices_json_and_jsonl(tmp_path, log):
    whole = write(tmp_path / "slice.json", log.slice(0, 12, 12))
    assert run("verify", whole, "--key", log.keys[0]).returncode == 0
    with open(tmp_path / "slice.jsonl", "w", encoding="utf-8") as out:
        write_slice_jsonl(out, log.entries, 0, 12, checkpoint=log.checkpoint(12))
    done = run("verify", str(tmp_path / "slice.jsonl"), "--key", log.keys[0])
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "slice.jsonl").read_text(encoding="utf-8").splitlines()
    text[3], text[4] = text[4], text[3]  # swap two entries
    swapped = write(tmp_path / "swapped.jsonl", "\n".join(text) + "\n")
    done = run("verify", swapped, "--key", log.keys[0])
    assert done.returncode == 1
    assert "调换" in done.stderr


def test_root_command(tmp_path, log):
    body = write(tmp_path / "entries.jsonl", "\n".join(e.decode() for e in log.entries) + "\n")
    done = run("root", body)
    assert done.returncode == 0
    assert merkle.root_hash(log.entries).hex() in done.stdout
    assert "记录条数：12" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("verify", "/nonexistent.json", "--key", "a+00000000+AA=="),
        ("verify",),
        ("frobnicate",),
    ],
)
def test_bad_usage_exits_2(args):
    assert run(*args).returncode == 2


def test_unreadable_key_exits_2(tmp_path, log):
    receipt = write(tmp_path / "receipt.json", log.receipt(3, 12))
    done = run("verify", receipt, "--key", "nokeyhere")
    assert done.returncode == 2
    assert "无法读取输入" in done.stderr
