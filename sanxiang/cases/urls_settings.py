"""URLs of the case settings pages (namespace ``case_settings``): the overview, the holiday
schedules (platform-wide), the agency's stricter rules, its numbering rule and officers' declared relationships."""

from django.urls import path

from sanxiang.cases import views_settings as views

app_name = "case_settings"

urlpatterns = [
    path("", views.index, name="index"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:year>/", views.holiday_edit, name="holiday_edit"),
    path("rules/", views.rules, name="rules"),
    path("numbering/", views.numbering, name="numbering"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/delete/", views.conflict_delete, name="conflict_delete"),
]
