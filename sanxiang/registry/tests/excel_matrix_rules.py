"""Rules of the Excel pages for the project's permission matrix (sanxiang/tests/test_permission_matrix.py).

Per-registry pages fit the matrix's model-level actions. The job pages take the pk of an
ImportJob, and the matrix's shared fixture owns no jobs, so they are marked "separate" there (the
matrix skips those) and their own persona × owner matrix is ``test_job_page_matrix`` in
test_excel.py.
"""

from sanxiang.registry.registries import REGISTRIES

JOB_OBJECT_PAGES = ["excel_job_detail", "excel_job_status", "excel_job_errors", "excel_job_download"]


def rules(rule: type) -> dict[str, object]:
    found: dict[str, object] = {"registry:excel_jobs": rule("list")}
    for key in REGISTRIES:
        found[f"registry:excel_{key}_template"] = rule("list")
        found[f"registry:excel_{key}_import"] = rule("add")
        found[f"registry:excel_{key}_export"] = rule("list", method="post")
    for name in JOB_OBJECT_PAGES:
        found[f"registry:{name}"] = rule("separate")
    return found
