"""Rules of the 法制审核目录清单 and staffing pages for sanxiang/tests/test_permission_matrix.py:
their own persona × own/foreign matrix is test_catalog_pages.py::test_persona_matrix (which also
reads the public page without login)."""


def rules(rule: type) -> dict[str, object]:
    return {f"review_catalog:{name}": rule("separate") for name in ("index", "public", "staffing")}
