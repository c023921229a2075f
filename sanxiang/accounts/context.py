"""Template context: the navigation a user sees, computed from the access layer."""

from django.http import HttpRequest
from django.urls import reverse

from sanxiang.accounts.access import Action, can, is_active_member
from sanxiang.accounts.choices import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not is_active_member(user):
        return {"nav_items": []}
    from sanxiang.registry.registries import REGISTRIES

    items = [{"label": "首页", "url": reverse("home")}]
    for entry in REGISTRIES.values():
        if can(user, Action.VIEW, entry.model):
            items.append({"label": entry.title, "url": reverse(f"registry:{entry.key}_list")})
    items.append({"label": "执法主体", "url": reverse("accounts:agency_list")})
    if user.has_role(Role.ADMIN):
        items.append({"label": "用户管理", "url": reverse("accounts:user_list")})
    return {"nav_items": items}
