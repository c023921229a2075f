"""Rules of the credential pages for sanxiang/tests/test_permission_matrix.py.

The verification page at /gongshi/verify/ is public. The internal card pages (an officer prints
their own card, the agency's administrator every card of the agency) have their own persona ×
owner matrix in test_credentials_access.py."""


def rules(rule: type) -> dict[str, object]:
    return {
        "credential_verify:verify": rule("public"),
        "credentials:index": rule("separate"),
        "credentials:card_pdf": rule("separate"),
        "credentials:agency_pdf": rule("separate"),
    }
