"""URLs of the ledger pages, mounted at /ledger/ (names ``ledger:*``).

Entries are addressed by their index in the platform's log, the number a receipt carries.
"""

from django.urls import path

from sanxiang.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("witness/", views.witness, name="witness"),
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/<int:index>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:index>/receipt.json", views.entry_receipt, name="entry_receipt"),
    path("verify/", views.verify, name="verify"),
    path("keys.txt", views.keys_text, name="keys"),
]
