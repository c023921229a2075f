"""URLs of the publisher's pages (公示审核), mounted at /disclosure/ (names ``disclosure:*``)."""

from django.urls import path

from sanxiang.disclosure import publisher_views as views

app_name = "disclosure"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("settings/", views.settings_page, name="settings"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
