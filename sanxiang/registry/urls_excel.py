"""URLs of Excel import/export. ``sanxiang.registry.urls`` adds these patterns to the
``registry`` namespace, so every name starts with ``excel_``:

* ``registry:excel_<key>_template`` / ``_import`` / ``_export`` — one set per registry, like the
  registry pages themselves (no URL argument but the registry).
* ``registry:excel_jobs``, ``registry:excel_job_detail`` / ``_status`` / ``_errors`` /
  ``_download`` (argument ``pk``).
"""

from django.urls import URLPattern, path

from sanxiang.registry import views_excel as views
from sanxiang.registry.registries import REGISTRIES

app_name = "registry_excel"  # only used if this module is ever included on its own


def _registry_patterns(key: str) -> list[URLPattern]:
    kwargs = {"key": key}
    return [
        path(f"{key}/excel/template/", views.template_download, kwargs, name=f"excel_{key}_template"),
        path(f"{key}/excel/import/", views.import_upload, kwargs, name=f"excel_{key}_import"),
        path(f"{key}/excel/export/", views.export_start, kwargs, name=f"excel_{key}_export"),
    ]


urlpatterns: list[URLPattern] = [
    path("jobs/", views.job_list, name="excel_jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="excel_job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="excel_job_status"),
    path("jobs/<int:pk>/errors.xlsx", views.job_errors, name="excel_job_errors"),
    path("jobs/<int:pk>/download/", views.job_download, name="excel_job_download"),
]
for _key in REGISTRIES:
    urlpatterns += _registry_patterns(_key)
