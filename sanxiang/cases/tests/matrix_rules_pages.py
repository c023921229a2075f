"""Rules of these pages for sanxiang/tests/test_permission_matrix.py (their own matrix lives beside them)."""


def rules(rule: type) -> dict[str, object]:
    return {"cases:list": rule("separate")}
