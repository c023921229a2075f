"""Production settings come from the environment, fail loudly, and pass ``check --deploy``."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANXIANG_", "DATABASE_URL"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "SANXIANG_MODE": "production",
        "SANXIANG_SECRET_KEY": secrets.token_urlsafe(60),
        "SANXIANG_ALLOWED_HOSTS": "zhifa.example.gov.cn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "SANXIANG_DATA_DIR": str(tmp_path),
    }


def test_check_deploy_passes_with_nothing_silenced(tmp_path: Path) -> None:
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_missing_secret(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SANXIANG_SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SANXIANG_SECRET_KEY" in result.stderr


def test_bad_typed_value_fails_loudly(tmp_path: Path) -> None:
    result = _manage({"SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LOCKOUT_MINUTES": "abc"}, "check")
    assert result.returncode != 0
    assert "SANXIANG_LOCKOUT_MINUTES must be an integer" in result.stderr


def test_embedded_default_uses_sqlite_in_data_dir(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.DATABASES['default']['NAME'])"
    data_dir = tmp_path / "fresh" / "data"
    result = _manage({"SANXIANG_DATA_DIR": str(data_dir)}, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(data_dir / "sanxiang.sqlite3")
    assert (data_dir / "files").is_dir()  # the data folder is created on first start


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    result = _manage({"SANXIANG_DATA_DIR": str(tmp_path)}, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
