"""Rules of the publisher's pages (/disclosure/) for sanxiang/tests/test_permission_matrix.py; their
own persona × own/other/far matrix is test_publisher_pages.py::test_page_matrix."""


def rules(rule: type) -> dict[str, object]:
    return {f"disclosure:{name}": rule("separate") for name in ("queue", "settings", "reports", "report",
                                                                  "detail", "act")}
