"""URLs of the registry pages: four per registry of the table, plus law articles.

Names: ``registry:<key>_list``, ``_detail``, ``_create``, ``_edit``; ``registry:article_detail``.
The Excel import/export pages (``registry:excel_*``) live in ``urls_excel`` when present.
"""

import importlib

from django.urls import URLPattern, URLResolver, path

from sanxiang.registry import views
from sanxiang.registry.registries import REGISTRIES

app_name = "registry"


def _registry_patterns(key: str) -> list[URLPattern]:
    kwargs = {"key": key}
    return [
        path(f"{key}/", views.registry_list, kwargs, name=f"{key}_list"),
        path(f"{key}/new/", views.registry_create, kwargs, name=f"{key}_create"),
        path(f"{key}/<int:pk>/", views.registry_detail, kwargs, name=f"{key}_detail"),
        path(f"{key}/<int:pk>/edit/", views.registry_edit, kwargs, name=f"{key}_edit"),
    ]


def _excel_patterns() -> list[URLPattern | URLResolver]:
    # The Excel pages are written separately; until they exist the registry pages work alone.
    try:
        module = importlib.import_module("sanxiang.registry.urls_excel")
    except ModuleNotFoundError as error:
        if error.name != "sanxiang.registry.urls_excel":
            raise
        return []
    return list(module.urlpatterns)


urlpatterns: list[URLPattern | URLResolver] = [
    path("laws/articles/<int:pk>/", views.article_detail, name="article_detail"),
]
for _key in REGISTRIES:
    urlpatterns += _registry_patterns(_key)
urlpatterns += _excel_patterns()
