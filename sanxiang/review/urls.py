"""URLs of the legal review pages, mounted at /review/ (names ``review:*``)."""

from django.urls import path

from sanxiang.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("cases/<int:case_pk>/", views.case_latest, name="case"),
    path("cases/<int:case_pk>/submit/", views.submit, name="submit"),
]
