"""The error report of an import: what is wrong, where (sheet, row, column), in Chinese."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypedDict

from openpyxl import Workbook
from openpyxl.styles import Font

MAX_REPORTED_ERRORS = 1000
REPORT_HEADERS = ("工作表", "行号", "列", "错误原因")


class RowError(TypedDict):
    sheet: str
    row: int | None
    column: str
    reason: str


@dataclass
class ErrorLog:
    """Collects errors up to ``limit`` and keeps counting past it, so a file with 50,000 bad rows
    neither exhausts memory nor hides how bad it is."""

    limit: int = MAX_REPORTED_ERRORS
    count: int = 0
    items: list[RowError] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append({"sheet": sheet, "row": row, "column": column, "reason": reason})

    def __bool__(self) -> bool:
        return self.count > 0

    def report(self) -> list[RowError]:
        """The kept errors in row order, plus a closing line saying how many were left out."""
        # Clashes with the database are found a batch after the row, so sort for the reader.
        ordered = sorted(self.items, key=lambda error: error["row"] or 0)
        if self.count <= len(self.items):
            return ordered
        note: RowError = {"sheet": "", "row": None, "column": "",
                          "reason": f"共发现{self.count}处错误，仅列出前{len(self.items)}处"}
        return [*ordered, note]


def write_error_report(errors: list[RowError], target: str | Path | IO[bytes]) -> None:
    """Write ``errors`` as a one-sheet .xlsx file (工作表/行号/列/错误原因)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错误报告"
    sheet.append(REPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        sheet.append([error["sheet"], error["row"], error["column"], error["reason"]])
    for letter, width in zip("ABCD", (14, 8, 18, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    workbook.save(target)


def format_errors(errors: list[RowError]) -> list[str]:
    """One line per error for a terminal: 工作表“执法人员” 第3行 “执法证号”：原因."""
    lines = []
    for error in errors:
        where = []
        if error["sheet"]:
            where.append(f"工作表“{error['sheet']}”")
        if error["row"]:
            where.append(f"第{error['row']}行")
        if error["column"]:
            where.append(f"“{error['column']}”列")
        lines.append((" ".join(where) + "：" if where else "") + error["reason"])
    return lines
