import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from sanxiang.ledger.triggers import APPEND_ONLY_TABLES, install_sql
from sanxiang.testing import World, build_world


def pytest_configure(config: pytest.Config) -> None:
    # Real Argon2, cheaper parameters: the suite creates many accounts (see accounts/hashers.py).
    settings.PASSWORD_HASHERS = ["sanxiang.accounts.hashers.LightArgon2PasswordHasher"]
    # Signing keys made by tests never land in the data folder of a checkout.
    settings.LEDGER_KEYS_DIR = Path(tempfile.mkdtemp(prefix="sanxiang-test-keys-"))


@pytest.fixture
def world(db) -> World:
    return build_world()


def drop_ledger_triggers() -> None:
    """What a rogue database administrator does first (tests only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS ledger_append_only() CASCADE")
            return
        tables = ",".join(f"'{t}'" for t in APPEND_ONLY_TABLES)
        cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({tables})")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


def ensure_ledger_triggers() -> None:
    drop_ledger_triggers()
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor):
            cursor.execute(statement)


def _uses_transactions(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return ("transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            or bool(marker and marker.kwargs.get("transaction")))


@pytest.fixture(autouse=True)
def _ledger_append_only(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep the append-only triggers in place for every database test.

    Tests that commit (transactional tests, the live server) end with Django emptying every
    table, which the triggers rightly refuse; for those, this fixture is set up after the
    database fixture, so it is torn down before the flush and takes the triggers away for it.
    The next test puts them back.
    """
    if _uses_transactions(request):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        yield
        return
    ensure_ledger_triggers()
    yield
    if _uses_transactions(request):
        drop_ledger_triggers()
