"""Excel import and export of the registries (issue 2 item 3).

* :func:`import_file` — all-or-nothing, streaming, validated like the services; the command line
  and the background task both call it.
* :func:`export_rows` — streaming export of a queryset the caller has already narrowed.
* :func:`write_template` — the blank import file of a registry, with a 填写说明 sheet.
* :func:`write_error_report` — the errors of a failed import as an .xlsx file.
"""

from sanxiang.registry.excel.errors import RowError, format_errors, write_error_report
from sanxiang.registry.excel.importer import ImportOutcome, import_file
from sanxiang.registry.excel.specs import SPECS, spec_for
from sanxiang.registry.excel.writer import export_rows, write_template

__all__ = ["SPECS", "ImportOutcome", "RowError", "export_rows", "format_errors", "import_file", "spec_for",
           "write_error_report", "write_template"]
