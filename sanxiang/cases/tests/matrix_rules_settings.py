"""Rules of these pages for sanxiang/tests/test_permission_matrix.py (their own matrix lives beside them).

The settings pages read the user's own agency (or ``?agency=`` for a supervisor) and the holiday
pages are platform-wide, so they do not fit the shared matrix's per-object rules: each is marked
"separate" and ``test_settings_page_matrix`` in test_settings.py checks persona × own/foreign.
"""

SETTINGS_PAGES = ["index", "holidays", "holiday_edit", "rules", "numbering", "conflicts", "conflict_delete"]


def rules(rule: type) -> dict[str, object]:
    return {f"case_settings:{name}": rule("separate") for name in SETTINGS_PAGES}
