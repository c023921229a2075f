"""Rules of the portal's pages for sanxiang/tests/test_permission_matrix.py.

The portal at /gongshi/ is public (no login; test_portal_walk.py walks every one of its URLs for
unpublished values). The publisher's guide editor has its own persona × owner matrix in
test_portal_guides.py."""

from django.urls import get_resolver


def rules(rule: type) -> dict[str, object]:
    portal = get_resolver().namespace_dict["portal"][1]
    found = {f"portal:{name}": rule("public") for name in portal.reverse_dict if isinstance(name, str)}
    found.update({name: rule("separate") for name in
                  ("portal_admin:guide_list", "portal_admin:guide_create", "portal_admin:guide_edit")})
    return found
