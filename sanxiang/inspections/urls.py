"""Pages of 双随机、一公开, mounted at /inspections/ (names ``inspections:*``)."""

from django.urls import path

from sanxiang.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/<slug:action>/", views.plan_act, name="plan_act"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/recordings/", views.recording_upload, name="recording_upload"),
    path("tasks/<int:pk>/recordings/<int:recording_pk>/", views.recording_file, name="recording_file"),
]
