"""Full verification of the stored ledger against itself and against the business tables.

Recomputes every leaf hash from the stored entry bytes, rebuilds the Merkle tree and compares
every stored subtree hash and checkpoint root, checks that indices run 0, 1, 2 … with no gap,
and that the newest snapshot of every row the ledger covers still matches the row. Streams the
log in chunks, so memory does not grow with the number of entries (only with the number of
distinct objects covered).
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from sanxiang.ledger import merkle
from sanxiang.ledger.canonical import snapshot_hash
from sanxiang.ledger.models import Checkpoint, Entry, Log, Subtree
from sanxiang.ledger.snapshots import snapshot_of_loaded

CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    index: int | None  # the entry concerned, when there is one
    message: str

    def __str__(self) -> str:
        return f"第 {self.index} 条：{self.message}" if self.index is not None else self.message


@dataclass
class Report:
    log: Log
    entries: int = 0
    subtrees: int = 0
    checkpoints: int = 0
    objects: int = 0
    root: bytes = b""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


Progress = Callable[[int], None]


def verify_log(log: Log, progress: Progress | None = None) -> Report:
    report = Report(log)
    tree = merkle.CompactRange(0, (), log.algorithm)
    checkpoints = list(Checkpoint.objects.filter(log=log).order_by("size").values_list("size", "root"))
    covered: dict[tuple[str, str], tuple[int, str]] = {}
    _check_checkpoint_roots(report, tree, checkpoints)
    for chunk in _chunks(log):
        generated: list[tuple[int, int, bytes]] = []
        for row in chunk:
            leaf = _check_entry(report, row)
            generated += tree.append(leaf)
            if row["object_type"] and row["snapshot_hash"]:
                covered[(row["object_type"], row["object_id"])] = (row["index"], row["snapshot_hash"])
            report.entries += 1
            _check_checkpoint_roots(report, tree, checkpoints)
        _check_subtrees(report, log, generated)
        if progress:
            progress(report.entries)
    report.root = tree.root()
    _check_totals(report, log, checkpoints)
    _check_signatures(report, log)
    _check_objects(report, covered, log.algorithm)
    return report


def _chunks(log: Log) -> Iterator[list[dict]]:
    fields = ("index", "body", "leaf_hash", "event_type", "object_type", "object_id", "snapshot_hash", "detail")
    rows = Entry.objects.filter(log=log).order_by("index").values(*fields).iterator(chunk_size=CHUNK)
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_entry(report: Report, row: dict) -> bytes:
    expected, index = report.entries, row["index"]
    if index != expected:
        report.problems.append(Problem(expected, f"序号不连续：此处应为第 {expected} 条，存储的是第 {index} 条"
                                       "（条目被删除、插入或调换）"))
    body = bytes(row["body"])
    leaf = merkle.leaf_hash(body, report.log.algorithm)
    if leaf != bytes(row["leaf_hash"]):
        report.problems.append(Problem(index, "条目内容与其叶子哈希不符（条目被改动）"))
    try:
        parsed = json.loads(body)
    except ValueError:
        report.problems.append(Problem(index, "条目不是有效的规范JSON"))
        return leaf
    for message in _column_mismatches(parsed, row, report.log.algorithm):
        report.problems.append(Problem(index, message))
    return leaf


def _column_mismatches(body: dict, row: dict, algorithm: str) -> list[str]:
    found = []
    subject = body.get("object") or {}
    if body.get("type") != row["event_type"]:
        found.append("事件类型列与条目不符")
    if (subject.get("type", ""), subject.get("id", "")) != (row["object_type"], row["object_id"]):
        found.append("对象列与条目不符")
    if body.get("snapshot", "") != row["snapshot_hash"]:
        found.append("快照哈希列与条目不符")
    if body.get("detail") != snapshot_hash(row["detail"], algorithm):
        found.append("详情（摘要、操作人）与条目中的哈希不符（详情被改动）")
    return found


def _check_subtrees(report: Report, log: Log, generated: list[tuple[int, int, bytes]]) -> None:
    by_level: dict[int, list[int]] = defaultdict(list)
    for level, index, _ in generated:
        by_level[level].append(index)
    condition = Q()
    for level, indices in by_level.items():
        # The log inside each term lets SQLite use the (log, level, index) index per term.
        condition |= Q(log=log, level=level, index__gte=min(indices), index__lte=max(indices))
    stored = {(lv, ix): bytes(h) for lv, ix, h in
              Subtree.objects.filter(condition).values_list("level", "index", "hash")}
    for level, index, digest in generated:
        report.subtrees += 1
        if stored.get((level, index)) != digest:
            first_leaf = index << level
            what = "缺失" if (level, index) not in stored else "与重算结果不符"
            report.problems.append(Problem(first_leaf, f"存储的子树哈希（层 {level}，序号 {index}）{what}"))


def _check_checkpoint_roots(report: Report, tree: merkle.CompactRange, checkpoints: list) -> None:
    for size, root in checkpoints:
        if size == tree.size:
            report.checkpoints += 1
            if tree.root() != bytes(root):
                report.problems.append(Problem(size - 1 if size else None,
                                               f"树大小 {size} 的检查点根哈希与重算结果不符"))


def _check_totals(report: Report, log: Log, checkpoints: list) -> None:
    beyond = [size for size, _ in checkpoints if size > report.entries]
    if beyond:
        report.problems.append(Problem(report.entries, f"已签署的检查点覆盖 {max(beyond)} 条，但只存有 "
                                       f"{report.entries} 条（日志尾部被截断）"))
    if log.size != report.entries:
        report.problems.append(Problem(None, f"日志记载的条目数 {log.size} 与实际 {report.entries} 条不符"))
    extra = Subtree.objects.filter(log=log).count() - report.subtrees
    if extra:
        report.problems.append(Problem(None, f"存储的子树哈希比重算结果多 {extra} 行"))


def _check_objects(report: Report, covered: dict[tuple[str, str], tuple[int, str]], algorithm: str) -> None:
    by_model: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for (label, pk), last in covered.items():
        by_model[label][pk] = last
    for label, wanted in by_model.items():
        model = apps.get_model(label)
        m2m = [f.name for f in model._meta.many_to_many]
        pks = list(wanted)
        for start in range(0, len(pks), 1000):
            batch = pks[start:start + 1000]
            rows = {str(o.pk): o for o in model._default_manager.filter(pk__in=batch).prefetch_related(*m2m)}
            for pk in batch:
                index, expected = wanted[pk]
                report.objects += 1
                row = rows.get(pk)
                if row is None:
                    report.problems.append(Problem(index, f"{model._meta.verbose_name}（id {pk}）已不存在，"
                                                   "但没有对应的删除记录"))
                elif snapshot_hash(snapshot_of_loaded(row), algorithm) != expected:
                    report.problems.append(Problem(index, f"{model._meta.verbose_name}“{row}”（id {pk}）的当前数据"
                                                   "与最后一条记录的快照不符（被绕过系统直接修改）"))


def _check_signatures(report: Report, log: Log) -> None:
    """Every stored checkpoint carries a valid platform signature over its own size and root, and
    every cosignature is the witness's valid signature of that checkpoint."""
    from sanxiang.ledger import note
    from sanxiang.ledger.checkpoints import platform_signer, witness_signer

    platform, witness = platform_signer().verifier, witness_signer().verifier
    for checkpoint in Checkpoint.objects.filter(log=log).prefetch_related("cosignatures"):
        where = f"树大小 {checkpoint.size} 的检查点"
        try:
            body, signed_by = note.open_checkpoint(checkpoint.note, [platform])
        except note.NoteError as error:
            report.problems.append(Problem(None, f"{where}格式错误：{error}"))
            continue
        if platform.name not in signed_by:
            report.problems.append(Problem(None, f"{where}的平台签名无效"))
        if (body.size, body.root) != (checkpoint.size, bytes(checkpoint.root)):
            report.problems.append(Problem(None, f"{where}的记录与签名文本不符"))
        for cosignature in checkpoint.cosignatures.all():
            _, cosigned_by = note.open_checkpoint(checkpoint.note + cosignature.signature_line, [witness])
            if witness.name not in cosigned_by:
                report.problems.append(Problem(None, f"{where}的见证签名（{cosignature.witness}）无效"))
