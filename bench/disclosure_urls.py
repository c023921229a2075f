"""The platform's URLs plus an empty view: the framework's floor for the decision page's throughput."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("bench/empty/", empty), path("", include("sanxiang.urls"))]
