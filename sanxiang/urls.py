from django.urls import include, path

from sanxiang.api import api
from sanxiang.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("registry/", include("sanxiang.registry.urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("api/v1/", api.urls),
]
