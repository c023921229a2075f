"""URLs of the case settings pages (namespace ``case_settings``): the overview, the holiday
schedules (platform-wide), the agency's stricter rules and its numbering rule."""

from django.urls import path

from sanxiang.cases import views_settings as views

app_name = "case_settings"

urlpatterns = [
    path("", views.index, name="index"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:year>/", views.holiday_edit, name="holiday_edit"),
    path("rules/", views.rules, name="rules"),
    path("numbering/", views.numbering, name="numbering"),
]
