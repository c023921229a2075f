import pytest
from django.conf import settings

from sanxiang.testing import World, build_world


def pytest_configure(config: pytest.Config) -> None:
    # Real Argon2, cheaper parameters: the suite creates many accounts (see accounts/hashers.py).
    settings.PASSWORD_HASHERS = ["sanxiang.accounts.hashers.LightArgon2PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()
