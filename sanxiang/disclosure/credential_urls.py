"""URLs of 事中公示: the public verification page (``credential_verify``, mounted at
``gongshi/verify/``) and the internal card download (``credentials``, at ``registry/credentials/``)."""

from django.urls import path

from sanxiang.disclosure import credential_views as views

verify_patterns = ([
    path("<str:token>/", views.verify, name="verify"),
], "credential_verify")

card_patterns = ([
    path("", views.card_index, name="index"),
    path("agency.pdf", views.agency_cards_pdf, name="agency_pdf"),
    path("<int:officer_id>/card.pdf", views.card_pdf, name="card_pdf"),
], "credentials")
