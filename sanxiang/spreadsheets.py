"""Text written to files that spreadsheet programs open (CSV, .xlsx) must stay text.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is run as a formula by Excel and WPS (CSV / formula injection): a party name or an imported
registry value such as ``=HYPERLINK(…)`` would become a live link or command on the reader's
machine. Open data and exports therefore neutralise it: in CSV with a leading apostrophe (the
usual convention; the value is otherwise unchanged), in .xlsx by storing the cell as a string,
which keeps the value exact for re-import.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """``value`` for a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def xlsx_cell(sheet, value: object):  # noqa: ANN001, ANN201 - openpyxl's write-only sheet and cell
    """A write-only cell holding ``value``, as text when it is formula-like."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
    return cell
