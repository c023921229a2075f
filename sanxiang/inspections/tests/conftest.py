import pytest


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    """Each test its own file store: task recordings are content-addressed, and a test that damages
    a stored file on purpose must not leave it for the next test uploading the same content."""
    settings.FILE_STORE_DIR = tmp_path / "files"
