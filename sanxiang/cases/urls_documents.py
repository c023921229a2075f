"""URLs of documents (执法文书): downloads, Word templates, published keys, signature check.

The case page links ``case_documents:docx`` / ``pdf`` / ``signature`` with the Document's pk.
"""

from django.urls import path

from sanxiang.cases import views_documents as views

app_name = "case_documents"

urlpatterns = [
    path("", views.template_list, name="index"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:kind>/upload/", views.template_upload, name="template_upload"),
    path("templates/<str:kind>/download/", views.template_download, name="template_download"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/signature/", views.document_signature, name="signature"),
    path("keys.txt", views.keys_text, name="keys"),
    path("verify/", views.verify_page, name="verify"),
]
