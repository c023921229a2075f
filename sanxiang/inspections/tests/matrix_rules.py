"""Rules of the 双随机抽查 pages for sanxiang/tests/test_permission_matrix.py.

The plan list follows the model-level policy (every member reads their agency's plans). Creating
and acting on plans belongs to 承办机构负责人/机关负责人, randomness to the 司法局, results to the
task's inspectors: those pages have their own persona matrix in test_pages.py. The draws portal
(/gongshi/draws/) is public."""

SEPARATE = ("plan_create", "plan_detail", "plan_act", "task_list", "task_detail", "recording_upload",
            "recording_file")


def rules(rule: type) -> dict[str, object]:
    found: dict[str, object] = {"inspections:plan_list": rule("list")}
    found.update({f"inspections:{name}": rule("separate") for name in SEPARATE})
    found.update({f"public_draws:{name}": rule("public") for name in ("list", "results", "detail", "file")})
    return found
