"""Rules of these pages for sanxiang/tests/test_permission_matrix.py (their own matrix lives beside them).

Case pages follow the lifecycle's per-step roles (an officer acts only on cases they handle), not
the registries' model-level policy: their persona × own/foreign-case matrix is
``test_permission_matrix`` in test_pages.py.
"""

PAGES = ["list", "create", "detail", "edit", "transition", "issue", "party_add", "party_edit", "party_remove",
         "handlers", "recusal_request", "recusal_decide"]


def rules(rule: type) -> dict[str, object]:
    return {f"cases:{name}": rule("separate") for name in PAGES}
