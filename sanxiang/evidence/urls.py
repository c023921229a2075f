from django.urls import path

from sanxiang.evidence import views, views_evaluation

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("cases/<int:case_pk>/dossier/", views.dossier, name="dossier"),
    path("cases/<int:case_pk>/waive/", views.waive, name="waive"),
    path("recording-list/", views.recording_list, name="recording_list"),
    path("evaluation/", views_evaluation.overview, name="evaluation"),
    path("evaluation/<int:case_pk>/", views_evaluation.case_detail, name="evaluation_case"),
]
