"""Documents (执法文书): the frozen data each one states, and rendering it to .docx and PDF.

``build_context(case, kind, number, today)`` returns the JSON-able data of the document;
``render(document)`` writes the files, hashes and signs them and records the hashes in the ledger;
``enqueue_render(pk)`` asks the task worker to do the same later.
"""

from sanxiang.cases.documents.context import build_context
from sanxiang.cases.documents.rendering import enqueue_render, render

__all__ = ["build_context", "enqueue_render", "render"]
