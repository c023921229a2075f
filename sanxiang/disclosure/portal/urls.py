"""The public portal 行政执法公示 (namespace ``portal``), at /gongshi/: no login; reads the
published read models only."""

from django.urls import path

from sanxiang.disclosure.portal import views, views_after, views_before

app_name = "portal"

urlpatterns = [
    # the decision page first: the most requested, and the patterns are tried in order
    path("decisions/<uuid:public_id>/", views_after.decision_detail, name="decision_detail"),
    path("", views.home, name="home"),
    # 事前公开
    path("agencies/", views_before.agency_list, name="agency_list"),
    path("agencies/<int:agency_id>/", views_before.agency_detail, name="agency_detail"),
    path("officers/", views_before.officer_list, name="officer_list"),
    path("officers/<int:officer_id>/", views_before.officer_detail, name="officer_detail"),
    path("items/", views_before.item_list, name="item_list"),
    path("inspection-items/", views_before.inspection_item_list, name="inspection_item_list"),
    path("benchmarks/", views_before.benchmark_list, name="benchmark_list"),
    path("guides/", views_before.guide_list, name="guide_list"),
    path("guides/<int:guide_id>/", views_before.guide_detail, name="guide_detail"),
    path("flow/", views.flow, name="flow"),
    path("flow.svg", views.flow_image, name="flow_image"),
    path("supervision/", views.supervision, name="supervision"),
    path("catalogs/", views.catalogs, name="catalogs"),
    # 事后公开
    path("decisions/", views_after.decision_list, name="decision_list"),
    path("decisions/<uuid:public_id>/report/", views_after.report_error, name="report_error"),
    path("decisions/<uuid:public_id>/receipt.json", views_after.decision_receipt, name="decision_receipt"),
    path("inspection-results/", views_after.inspection_result_list, name="inspection_result_list"),
    path("statistics/", views.statistics, name="statistics"),
]
