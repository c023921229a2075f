"""URLs of the 法制审核目录清单 and staffing pages (namespace ``review_catalog``), at /review/catalog/."""

from django.urls import path

from sanxiang.review import views_catalog as views

app_name = "review_catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("public/<int:agency_id>/", views.public, name="public"),
    path("staffing/", views.staffing_page, name="staffing"),
]
