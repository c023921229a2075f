"""Chinese full-text search over published decisions (issue 7 §4).

``search(q, agency=…, category=…, date_from=…, date_to=…, party=…, order="relevance"|"date",
page=1, per_page=20)`` → :class:`Results` with highlighted hits. Text is segmented with jieba the
same way when indexed (``segment``, which PublicEntry.search_text holds) and when queried.
Backends: SQLite FTS5 (embedded default) and PostgreSQL full text (``simple`` configuration, GIN
index); see ``backends``.
"""

from sanxiang.disclosure.search.query import Hit, Results, SearchError, search
from sanxiang.disclosure.search.segment import segment, segment_fields

__all__ = ["Hit", "Results", "SearchError", "search", "segment", "segment_fields"]
