"""Template context: the navigation a user sees, computed from the access layer."""

from django.http import HttpRequest
from django.urls import reverse

from sanxiang.accounts.access import Action, can, is_active_member
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User


def navigation(request: HttpRequest) -> dict[str, object]:
    """``nav_items``: a list of {label, url, active} for the signed-in user (empty otherwise)."""
    user = getattr(request, "user", None)
    if not is_active_member(user):
        return {"nav_items": []}
    items = [_item(request, "首页", reverse("home"))]
    items.append(_item(request, "执法办案", reverse("cases:list")))
    items += [_item(request, label, url) for label, url in _registry_links(user)]
    items.append(_item(request, "执法主体", reverse("accounts:agency_list")))
    items.append(_item(request, "导入导出", reverse("registry:excel_jobs")))
    items.append(_item(request, "全过程记录", reverse("ledger:overview")))
    if user.role_codes & {Role.REVIEWER, Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD}:
        items.append(_item(request, "法制审核", reverse("review:queue")))
    if user.role_codes & {Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD}:
        items.append(_item(request, "案卷评查", reverse("evidence:evaluation")))
    if user.role_codes & {Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR}:
        items.append(_item(request, "双随机抽查", reverse("inspections:plan_list")))
    if user.role_codes & {Role.PUBLISHER, Role.SUPERVISOR}:
        items.append(_item(request, "公示审核", reverse("disclosure:queue")))
    if user.has_role(Role.ADMIN):
        items.append(_item(request, "办案设置", reverse("case_settings:index")))
        items.append(_item(request, "音像记录清单", reverse("evidence:recording_list")))
    if can(user, Action.CHANGE, User):
        items.append(_item(request, "用户管理", reverse("accounts:user_list")))
    return {"nav_items": _only_longest_active(items)}


def _only_longest_active(items: list[dict[str, object]]) -> list[dict[str, object]]:
    """One active item: /cases/settings/ is under /cases/ too, and only 办案设置 is where we are."""
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        keep = max(active, key=lambda i: len(str(i["url"])))
        for item in active:
            item["active"] = item is keep
    return items


def _registry_links(user: User) -> list[tuple[str, str]]:
    from sanxiang.registry.registries import REGISTRIES

    return [(entry.title, reverse(f"registry:{entry.key}_list"))
            for entry in REGISTRIES.values() if can(user, Action.VIEW, entry.model)]


def _item(request: HttpRequest, label: str, url: str) -> dict[str, object]:
    # The home page is "/", a prefix of every path, so it is active only on an exact match.
    active = request.path == url if url == "/" else request.path.startswith(url)
    return {"label": label, "url": url, "active": active}
