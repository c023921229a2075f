"""Placeholder until the pages land."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "cases"


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("建设中", status=404)


urlpatterns = [path("", placeholder, name="list")]
