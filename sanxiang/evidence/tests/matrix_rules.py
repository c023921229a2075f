"""Rules of the evidence pages for sanxiang/tests/test_permission_matrix.py; their own persona ×
own/foreign matrix is test_pages.py::test_page_matrix (the thumbnail's: test_thumbnails.py)."""


def rules(rule: type) -> dict[str, object]:
    return {name: rule("separate") for name in ("evidence:upload", "evidence:file", "evidence:download",
                                                   "evidence:evaluation", "evidence:evaluation_case",
                                                   "evidence:dossier", "evidence:waive",
                                                   "evidence:recording_list", "evidence:thumbnail")}
