"""Writing registry workbooks: streaming exports and the blank import template."""

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db import models
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sanxiang.registry.excel.cells import DATE_FORMAT_HINT
from sanxiang.registry.excel.errors import MAX_REPORTED_ERRORS
from sanxiang.registry.excel.specs import Spec, spec_for
from sanxiang.spreadsheets import is_formula_like, xlsx_cell

EXPORT_CHUNK = 2000
HELP_SHEET = "填写说明"
TEMPLATE_VALIDATED_ROWS = 10000
_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")

# progress(stage, done, total) with stage "export".
Progress = Callable[[str, int, int], None]


def export_rows(key: str, queryset: models.QuerySet, target: str | Path | IO[bytes],
                progress: Progress | None = None) -> int:
    """Write the rows of ``queryset`` (already narrowed to what the caller may see) to ``target``.

    Streams from the database ``EXPORT_CHUNK`` rows at a time into a write-only workbook, so
    memory does not grow with the row count. Returns the number of rows written.
    """
    spec = spec_for(key)
    report = progress or (lambda stage, done, total: None)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.sheet)
    _size_columns(sheet, spec, with_agency=True)
    sheet.freeze_panes = "A2"
    sheet.append([_bold_cell(sheet, header) for header in [*_headers(spec), spec.agency_header]])
    rows = queryset.select_related("agency", *spec.select_related).prefetch_related(*spec.prefetch)
    total, done = rows.count(), 0
    report("export", 0, total)
    for obj in rows.iterator(chunk_size=EXPORT_CHUNK):
        values = [col.render(obj) for col in spec.columns] + [obj.agency.name if obj.agency_id else ""]
        sheet.append([xlsx_cell(sheet, value) if is_formula_like(value) else value for value in values])
        done += 1
        if done % EXPORT_CHUNK == 0:
            report("export", done, total)
    workbook.save(target)
    report("export", done, max(total, done))
    return done


def write_template(key: str, target: str | Path | IO[bytes]) -> None:
    """A blank import file: the header row (required columns shaded), drop-down lists for choice
    columns, and a 填写说明 sheet describing every column."""
    spec = spec_for(key)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet
    sheet.append(_headers(spec))
    for index, col in enumerate(spec.columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _BOLD
        if col.required:
            cell.fill = _REQUIRED_FILL
        if col.choices:
            _add_dropdown(sheet, index, col.choices)
    _size_columns(sheet, spec, with_agency=False)
    sheet.freeze_panes = "A2"
    _write_help(workbook.create_sheet(HELP_SHEET), spec)
    workbook.save(target)


def _headers(spec: Spec) -> list[str]:
    return [col.header for col in spec.columns]


def _bold_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell


def _size_columns(sheet: Worksheet | WriteOnlyWorksheet, spec: Spec, with_agency: bool) -> None:
    widths = [col.width for col in spec.columns] + ([24] if with_agency else [])
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _add_dropdown(sheet: Worksheet, index: int, choices: tuple[str, ...]) -> None:
    letter = get_column_letter(index)
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="取值不正确", error="请从下拉列表中选择")
    validation.add(f"{letter}2:{letter}{TEMPLATE_VALIDATED_ROWS + 1}")
    sheet.add_data_validation(validation)


def _general_notes(spec: Spec) -> list[str]:
    return [
        f"1. 在“{spec.sheet}”工作表中从第2行起每行填写一条记录，不要修改第1行的列名；底色为黄色的列为必填。",
        "2. 导入的数据一律归入执行导入的系统管理员所在的执法主体，文件中无需填写执法主体"
        f"（导出文件中的“{spec.agency_header}”列在导入时忽略）。",
        f"3. 日期一律按 {DATE_FORMAT_HINT} 填写，如 2024-03-01；也可使用Excel日期格式的单元格。",
        "4. 选项类的列填写中文名称（如“有效”“暂扣”“注销”），多个值以“、”分隔。",
        "5. 导入要么全部成功，要么一条也不导入：只要有一处错误，系统会列出全部错误"
        f"（工作表、行号、列、原因，最多列出{MAX_REPORTED_ERRORS}处），请改正后重新导入整个文件。",
    ]


def _write_help(sheet: Worksheet, spec: Spec) -> None:
    for line in _general_notes(spec):
        sheet.append([line])
    sheet.append([])
    sheet.append(["列名", "是否必填", "填写要求", "说明"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _BOLD
    for col in spec.columns:
        sheet.append([col.header, "必填" if col.required else "选填", col.allowed, col.note])
    for letter, width in zip("ABCD", (18, 10, 50, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row[2:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
