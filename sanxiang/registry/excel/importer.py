"""All-or-nothing import of a registry sheet.

Two passes, both streaming:

1. **Validate** every row of the file with the rules the services apply to a single row (the
   model's ``full_clean``), plus the cross-column checks and the uniqueness rules of the spec,
   checked against the file itself and, a batch at a time, against the database. Nothing is
   written to the database; the parsed rows are spilled, a batch at a time, to a temporary file
   (re-reading them is ~10× cheaper than parsing the spreadsheet XML again).
2. **Write**, only if pass 1 found no error: the spilled rows, ``bulk_create`` in batches, all in
   one transaction, so a failure half-way (a clash with a row someone else just saved) leaves
   nothing behind.

Memory holds one batch of rows, the reference tables, and the keys seen for duplicate detection
(a few bytes per row), never the workbook.
"""

import copy
import hashlib
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, reset_queries, transaction
from django.utils import translation

from sanxiang.accounts.access import Action, can
from sanxiang.accounts.models import Agency, User
from sanxiang.disclosure.sync import sync_saved
from sanxiang.ledger.services import record
from sanxiang.registry.excel.cells import CellError, is_blank
from sanxiang.registry.excel.errors import ErrorLog, RowError
from sanxiang.registry.excel.lookups import Lookups
from sanxiang.registry.excel.reader import (
    Layout,
    UnreadableFile,
    data_rows,
    estimated_rows,
    open_sheet,
    read_layout,
)
from sanxiang.registry.excel.specs import Spec, UniqueKey, spec_for

BATCH_SIZE = 1000
WRITE_CONFLICT = "写入时与数据库中的数据冲突（可能有人同时录入了相同数据），未导入任何数据，请重新导入"
# progress(stage, done, total): stage is "validate" or "write"; total may be 0 if unknown.
Progress = Callable[[str, int, int], None]


@dataclass
class ImportOutcome:
    """What an import did. ``created`` is 0 whenever ``errors`` is not empty."""

    total_rows: int
    created: int
    errors: list[RowError]
    error_count: int

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object] = field(default_factory=dict)
    m2m: dict[str, list[int]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def import_file(key: str, path: str | Path, agency: Agency, user: User | None = None,
                progress: Progress | None = None, batch_size: int = BATCH_SIZE) -> ImportOutcome:
    """Import the sheet at ``path`` into registry ``key`` for ``agency``.

    ``user`` None means a trusted operator (the command line without --user); otherwise the user
    must be allowed to import into ``agency`` (PermissionDenied if not). Never raises for a bad
    file: the outcome carries the errors and nothing is written.
    """
    spec = spec_for(key)
    if user is not None and not can(user, Action.IMPORT, spec.model, agency):
        raise PermissionDenied("无权导入：只有本机关的系统管理员可以导入基础数据")
    report = progress or (lambda stage, done, total: None)
    errors = ErrorLog()
    with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as spill:
        try:
            total = _validate(spec, path, agency, errors, report, batch_size, spill)
            if errors:
                return ImportOutcome(total, 0, errors.report(), errors.count)
            spill.seek(0)
            created = _write(spec, agency, total, report, spill, user, Path(path))
        except UnreadableFile as exc:
            errors.add("", None, "", str(exc))
            return ImportOutcome(0, 0, errors.report(), errors.count)
        except IntegrityError:
            errors.add(spec.sheet, None, "", WRITE_CONFLICT)
            return ImportOutcome(total, 0, errors.report(), errors.count)
    return ImportOutcome(total, created, [], 0)


def _validate(spec: Spec, path: str | Path, agency: Agency, errors: ErrorLog, report: Progress,
              batch_size: int, spill: IO[bytes]) -> int:
    """Pass 1: check every row, record problems in ``errors`` and, while there are none, spill
    the parsed rows to ``spill`` in batches; returns the number of data rows."""
    lookups = Lookups(agency)
    uniques = UniqueTracker(spec, agency)
    with open_sheet(spec, path) as sheet:
        layout = read_layout(spec, sheet, errors)
        if layout is None:
            return 0
        estimate, done, batch = estimated_rows(sheet), 0, []
        for number, raw in data_rows(sheet):
            row = parse_row(spec, layout, number, raw, lookups)
            for header, reason in validate_row(spec, agency, row) + uniques.see(row):
                errors.add(layout.sheet, number, header, reason)
            if not errors:  # once a row is bad nothing will be written: stop spilling
                batch.append((row.values, row.m2m))
            done += 1
            if done % batch_size == 0:
                # With DEBUG on, Django keeps every SQL statement; ours are large. Keep memory flat.
                reset_queries()
                uniques.check_database(errors, layout.sheet)
                batch = _spill(spill, batch)
                report("validate", done, max(estimate, done))
        uniques.check_database(errors, layout.sheet)
        _spill(spill, batch)
    if done == 0 and not errors:
        errors.add(layout.sheet, None, "", "文件中没有数据行")
    report("validate", done, done)
    return done


SpilledRow = tuple[dict[str, object], dict[str, list[int]]]


def _spill(spill: IO[bytes], batch: list[SpilledRow]) -> list[SpilledRow]:
    """Append ``batch`` to the spill file; returns a new empty batch."""
    if batch:
        pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
    return []


def _spilled_batches(spill: IO[bytes]) -> Iterator[list[SpilledRow]]:
    # The spill is our own temporary file written by pass 1, never user input.
    while True:
        try:
            yield pickle.load(spill)  # noqa: S301
        except EOFError:
            return


def _write(spec: Spec, agency: Agency, total: int, report: Progress, spill: IO[bytes],
           user: User | None, path: Path) -> int:
    """Pass 2: create every spilled row in one transaction, one INSERT per batch, and record the
    import (with the SHA-256 of the imported file) in the ledger in that same transaction."""
    created = 0
    with transaction.atomic():
        for batch in _spilled_batches(spill):
            created += insert_rows(spec, agency, [ParsedRow(0, values, m2m) for values, m2m in batch])
            reset_queries()
            report("write", created, total)
        record(event_type=f"{spec.model._meta.label_lower}.imported", actor=user, agency=agency, role="admin",
               summary=f"从Excel导入{spec.model._meta.verbose_name} {created} 条", files=[_file_sha256(path)],
               changes={"rows": created})
    report("write", created, total)
    return created


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_row(spec: Spec, layout: Layout, number: int, raw: tuple[object, ...],
              lookups: Lookups) -> ParsedRow:
    """Every cell of a row through its column's parser; blank optional cells take the default."""
    row = ParsedRow(number)
    for col in spec.columns:
        position = layout.positions.get(col.name)
        cell = raw[position] if position is not None and position < len(raw) else None
        if is_blank(cell):
            if col.required:
                row.problems.append((col.header, "必填项为空"))
                continue
            value = copy.copy(col.default)
        else:
            try:
                value = col.parse(cell, lookups)
            except CellError as exc:
                row.problems.append((col.header, str(exc)))
                continue
        (row.m2m if col.m2m else row.values)[col.name] = value
    return row


def build_instance(spec: Spec, agency: Agency, row: ParsedRow) -> models.Model:
    fields = {spec.column(name).attname: value for name, value in row.values.items()}
    return spec.model(agency=agency, **fields)


def _relation_names(spec: Spec) -> list[str]:
    return [f.name for f in spec.model._meta.get_fields() if f.is_relation and f.concrete]


def validate_row(spec: Spec, agency: Agency, row: ParsedRow) -> list[tuple[str, str]]:
    """The row's parse problems, cross-column problems and the model's own validation.

    ``full_clean`` runs without the foreign keys (resolved from our own tables already; checking
    them would cost a query per row per key), without unique checks (done in bulk by
    :class:`UniqueTracker`) and without constraints (the cross-column checks of the spec say the
    same in Chinese, and the database still enforces them on write).
    """
    problems = list(row.problems)
    for check in spec.checks:
        problems += check(row.values)
    failed = {header for header, _ in row.problems}
    exclude = _relation_names(spec) + [col.name for col in spec.columns if col.header in failed]
    try:
        build_instance(spec, agency, row).full_clean(exclude=exclude, validate_unique=False,
                                                     validate_constraints=False)
    except ValidationError as exc:
        headers = {col.name: col.header for col in spec.columns}
        for name, messages in exc.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else headers.get(name, name)
            problems += [(column, message) for message in messages]
    return problems


class UniqueTracker:
    """Finds repeated keys within the file at once, and clashes with the database per batch."""

    def __init__(self, spec: Spec, agency: Agency) -> None:
        self.spec, self.agency = spec, agency
        self.seen: dict[UniqueKey, dict[object, int]] = {key: {} for key in spec.unique}
        self.pending: dict[UniqueKey, list[tuple[object, int]]] = {key: [] for key in spec.unique}

    def see(self, row: ParsedRow) -> list[tuple[str, str]]:
        problems = []
        for key in self.spec.unique:
            value = tuple(row.values.get(name) for name in key.fields)
            if any(is_blank(part) for part in value):
                continue
            # One-field keys are stored bare: at 100,000 rows the tuples alone would cost ~6 MB.
            value = value[0] if len(value) == 1 else value
            first = self.seen[key].setdefault(value, row.number)
            if first != row.number:
                problems.append((key.column, f"{key.label}与第{first}行重复"))
            else:
                self.pending[key].append((value, row.number))
        return problems

    def check_database(self, errors: ErrorLog, sheet: str) -> None:
        for key, pending in self.pending.items():
            if pending:
                for value, number in self._clashes(key, pending):
                    scope = "本机关" if key.per_agency else "系统中（全国唯一）"
                    errors.add(sheet, number, key.column, f"{key.label}“{_show(value)}”在{scope}已存在")
            self.pending[key] = []

    def _clashes(self, key: UniqueKey, pending: list[tuple[object, int]]) -> list[tuple[object, int]]:
        first, single = key.fields[0], len(key.fields) == 1
        wanted = {value if single else value[0] for value, _ in pending}
        rows = self.spec.model.objects.filter(**{f"{first}__in": wanted})
        if key.per_agency:
            rows = rows.filter(agency=self.agency)
        existing = set(rows.values_list(first, flat=True) if single else rows.values_list(*key.fields))
        return [(value, number) for value, number in pending if value in existing]


def _show(value: object) -> str:
    return " ".join(str(part) for part in value) if isinstance(value, tuple) else str(value)


def insert_rows(spec: Spec, agency: Agency, batch: list[ParsedRow]) -> int:
    """INSERT one batch of already validated rows and their many-to-many links."""
    if not batch:
        return 0
    instances = spec.model.objects.bulk_create([build_instance(spec, agency, row) for row in batch])
    for col in spec.columns:
        if col.m2m:
            _link(spec.model._meta.get_field(col.name), instances, [row.m2m[col.name] for row in batch])
    # bulk_create sends no signals: bring the portal's published copies (事前公开) up to date.
    sync_saved(spec.model, [obj.pk for obj in instances])
    return len(instances)


def _link(m2m: models.ManyToManyField, instances: list[models.Model], targets: list[list[int]]) -> None:
    through = m2m.remote_field.through
    source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    links = [through(**{source: obj.pk, target: pk}) for obj, pks in zip(instances, targets, strict=True)
             for pk in pks]
    through.objects.bulk_create(links)
