"""Documents (执法文书): the frozen data each one states, and rendering it to .docx and PDF.

``build_context(case, kind, number, today)`` returns the JSON-able data of the document;
``render(document)`` writes the files, hashes and signs them and records the hashes in the ledger;
``enqueue_render(pk)`` asks the task worker to do the same later.

The names are imported on first use, so that the pure-Python modules of this package (``chinese``,
``verify``) load without Django, e.g. ``python -m sanxiang.cases.documents.verify`` offline.
"""

from importlib import import_module

_EXPORTS = {"build_context": "context", "enqueue_render": "rendering", "render": "rendering"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
