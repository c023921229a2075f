import pytest

from sanxiang.cases.testing import CaseWorld, build_case_world


@pytest.fixture
def cw(world) -> CaseWorld:
    return build_case_world(world)
