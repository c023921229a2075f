"""Rules of the document pages for sanxiang/tests/test_permission_matrix.py.

Downloads take the pk of a Document and follow the case's visibility; the template pages are for
the agency's administrator. Their persona × own/foreign matrix is in test_documents.py.
"""

SEPARATE = ["index", "templates", "template_upload", "template_download", "docx", "pdf", "signature"]
PUBLIC = ["keys", "verify"]


def rules(rule: type) -> dict[str, object]:
    found: dict[str, object] = {f"case_documents:{name}": rule("separate") for name in SEPARATE}
    found.update({f"case_documents:{name}": rule("public") for name in PUBLIC})
    return found
