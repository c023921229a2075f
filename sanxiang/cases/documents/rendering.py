"""Rendering issued documents to files. (Placeholder until the renderer lands: records nothing.)"""

from sanxiang.cases.models import Document


def render(document: Document) -> None:
    return None


def enqueue_render(pk: int) -> None:
    return None
