from django.urls import include, path

from sanxiang.api import api
from sanxiang.disclosure import credential_urls
from sanxiang.views import home

urlpatterns = [
    # The public portal first: it is the busiest address, and the patterns are tried in order.
    path("gongshi/verify/", include(credential_urls.verify_patterns)),
    path("gongshi/draws/", include("sanxiang.inspections.public_urls")),
    path("gongshi/", include("sanxiang.disclosure.portal.urls")),
    path("", home, name="home"),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("registry/credentials/", include(credential_urls.card_patterns)),
    path("registry/", include("sanxiang.registry.urls")),
    path("ledger/", include("sanxiang.ledger.urls")),
    path("cases/documents/", include("sanxiang.cases.urls_documents")),
    path("cases/settings/", include("sanxiang.cases.urls_settings")),
    path("cases/", include("sanxiang.cases.urls")),
    path("evidence/", include("sanxiang.evidence.urls")),
    path("review/catalog/", include("sanxiang.review.urls_catalog")),
    path("review/", include("sanxiang.review.urls")),
    path("inspections/", include("sanxiang.inspections.urls")),
    path("portal-admin/", include("sanxiang.disclosure.portal.urls_admin")),
    path("disclosure/", include("sanxiang.disclosure.publisher_urls")),
    path("api/v1/", api.urls),
]
