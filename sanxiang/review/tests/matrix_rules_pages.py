"""Rules of the legal review pages for sanxiang/tests/test_permission_matrix.py (their own matrix
lives beside them).

The review pages follow the roles each review service checks on the case (the handler submits and
objects, the reviewer gives the opinion, the agency head concludes 集体讨论 …), not the registries'
model-level policy: their persona × own/foreign-agency matrix is ``test_permission_matrix`` in
test_pages.py.
"""

PAGES = ["queue", "detail", "act", "case", "submit"]


def rules(rule: type) -> dict[str, object]:
    return {f"review:{name}": rule("separate") for name in PAGES}
