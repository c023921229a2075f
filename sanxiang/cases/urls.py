"""URLs of the case pages, mounted at /cases/ (names ``cases:*``)."""

from django.urls import path

from sanxiang.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/steps/<slug:name>/", views.transition_page, name="transition"),
    path("<int:pk>/issue/<slug:kind>/", views.issue_document, name="issue"),
    path("<int:pk>/parties/new/", views.party_add, name="party_add"),
    path("<int:pk>/parties/<int:party_pk>/", views.party_edit, name="party_edit"),
    path("<int:pk>/parties/<int:party_pk>/remove/", views.party_remove, name="party_remove"),
    path("<int:pk>/handlers/", views.handlers, name="handlers"),
    path("<int:pk>/recusals/new/", views.recusal_request, name="recusal_request"),
    path("<int:pk>/recusals/<int:recusal_pk>/", views.recusal_decide, name="recusal_decide"),
]
