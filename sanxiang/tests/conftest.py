import pytest

from sanxiang.tests.matrix import owned_rows


@pytest.fixture
def owned(world) -> dict[str, dict[str, object]]:
    return owned_rows(world)
