"""Public pages of the draws, mounted at /gongshi/draws/ (names ``public_draws:*``)."""

from django.urls import path

from sanxiang.inspections import views_public

app_name = "public_draws"
urlpatterns = [
    path("", views_public.draw_list, name="list"),
    path("results/", views_public.result_list, name="results"),
    path("<int:pk>/", views_public.draw_detail, name="detail"),
    path("<int:pk>/draw.json", views_public.draw_file, name="file"),
]
