"""The publisher's pages for the portal's own content (namespace ``portal_admin``), at /portal-admin/."""

from django.urls import path

from sanxiang.disclosure.portal import views_guides

app_name = "portal_admin"

urlpatterns = [
    path("guides/", views_guides.guide_list, name="guide_list"),
    path("guides/new/", views_guides.guide_create, name="guide_create"),
    path("guides/<int:pk>/", views_guides.guide_edit, name="guide_edit"),
]
