import pytest

from sanxiang.cases.testing import CaseWorld, build_case_world


@pytest.fixture
def cw(world) -> CaseWorld:
    return build_case_world(world)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    settings.FILE_STORE_DIR = tmp_path / "files"
    settings.CASES_DOCUMENT_RENDERING = "deferred"
