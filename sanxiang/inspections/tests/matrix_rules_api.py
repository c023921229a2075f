"""API rules of /api/v1/inspections/ for sanxiang/tests/test_api_permission_matrix.py: the lists
follow the model-level policy; operations on one plan or task follow the plan's roles and have
their own persona matrix in test_pages_api.py."""

SEPARATE = [("POST", "/plans"), ("GET", "/plans/{plan_id}"), ("POST", "/plans/{plan_id}/commit"),
            ("POST", "/plans/{plan_id}/randomness"), ("POST", "/plans/{plan_id}/draw"),
            ("GET", "/plans/{plan_id}/draw-file"), ("POST", "/tasks/{task_id}/result"),
            ("POST", "/tasks/{task_id}/recordings")]


def api_rules(api: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    base = f"{api}/inspections"
    rules = {("GET", f"{base}/plans"): ("list", "", ""), ("GET", f"{base}/tasks"): ("list", "", "")}
    rules.update({(method, base + path): ("separate", "", "") for method, path in SEPARATE})
    return rules
