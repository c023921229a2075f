"""``python -m sanxiang.inspections verify-draw FILE``: a separate process with no Django settings
and no database; exit 0 when the draw matches, 1 when it does not, 2 when the file is unreadable."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.inspections.draw import build_draw_document, dump_draw_document
from sanxiang.inspections.draw.engine import commitment_of
from sanxiang.inspections.draw.samples import synthetic_inputs

from .test_draw_witness import Ledger

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess:
    # A clean environment: no DJANGO_SETTINGS_MODULE, no data folder, nothing but the interpreter.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "sanxiang.inspections", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)


@pytest.fixture(scope="module")
def drawn():
    inputs = synthetic_inputs(targets=800, inspectors=12, exclusions=60)
    ledger = Ledger(commitment_of(inputs))
    return build_draw_document(inputs, ledger.randomness(8), ledger.evidence(8)), ledger


def write(path: Path, document) -> str:
    with path.open("w", encoding="utf-8") as stream:
        dump_draw_document(document, stream)
    return str(path)


def test_a_matching_draw_exits_0(tmp_path, drawn):
    document, ledger = drawn
    keys = tmp_path / "keys.txt"
    keys.write_text("# 平台与司法局公布的公钥\n" + "\n".join(ledger.keys) + "\n", encoding="utf-8")
    done = run("verify-draw", write(tmp_path / "draw.json", document), "--key", str(keys))
    assert done.returncode == 0, done.stderr
    assert "验证通过：抽取结果与按公布的输入和随机数重算的结果一致" in done.stdout
    assert "承诺先于随机数" in done.stdout and done.stderr == ""


def test_an_altered_draw_exits_1_and_names_the_problem(tmp_path, drawn):
    document = copy.deepcopy(drawn[0])
    document["result"]["strata"][0]["targets"].reverse()
    done = run("verify-draw", write(tmp_path / "draw.json", document))
    assert done.returncode == 1
    assert "问题：抽查层 high 抽中的检查对象与重算结果不同" in done.stderr
    assert "验证失败：发现 1 处问题" in done.stdout


def test_a_wrong_key_exits_1(tmp_path, drawn):
    document, ledger = drawn
    done = run("verify-draw", write(tmp_path / "draw.json", document), "--key", ledger.keys[0])
    assert done.returncode == 0  # the platform's key alone: its signature is there
    stranger = Ledger("00" * 32).keys[1]
    done = run("verify-draw", write(tmp_path / "draw.json", document), "--key", stranger)
    assert done.returncode == 1
    assert "没有任何已知公钥的有效签名" in done.stderr


@pytest.mark.parametrize("content", [None, b"{\"format\": \"sanxiang-draw-file/1\"", b"\xff\xfe\x00",
                                     json.dumps({"format": "sanxiang-ledger-receipt/1"}).encode()])
def test_an_unreadable_file_exits_2(tmp_path, content):
    path = tmp_path / "draw.json"
    if content is not None:
        path.write_bytes(content)
    done = run("verify-draw", str(path))
    assert done.returncode == 2
    assert "无法读取抽取结果文件" in done.stderr


def test_a_missing_key_file_and_bad_usage_exit_2(tmp_path, drawn):
    done = run("verify-draw", write(tmp_path / "draw.json", drawn[0]), "--key", str(tmp_path / "none.txt"))
    assert done.returncode == 2 and "无法读取公钥" in done.stderr
    assert run().returncode == 2
    assert run("verify-draw").returncode == 2


def test_the_verifier_never_imports_django(tmp_path, drawn):
    path = write(tmp_path / "draw.json", drawn[0])
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['sanxiang.inspections', 'verify-draw', {path!r}]\n"
        "try:\n    runpy.run_module('sanxiang.inspections', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
