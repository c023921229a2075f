"""Background work of case handling, run by the django-tasks database worker (``manage.py db_worker``).

Tasks take primary keys and reload; rendering is idempotent, so a task delivered twice, or a
document rendered meanwhile, is left alone.
"""

from django_tasks import task

from sanxiang.cases.documents.rendering import render
from sanxiang.cases.models import Document


@task()
def render_document(document_pk: int) -> str:
    """Render the files of an issued document: "rendered", "skipped" (already done) or "missing"."""
    document = Document.objects.filter(pk=document_pk).first()
    if document is None:
        return "missing"
    if document.rendered:
        return "skipped"
    render(document)
    return "rendered"
