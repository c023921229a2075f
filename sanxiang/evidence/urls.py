from django.urls import path

from sanxiang.evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/download/", views.download, name="download"),
]
