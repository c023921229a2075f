"""The Merkle tree of RFC 6962 / RFC 9162, over raw entry bytes. Pure Python, no Django.

Hashing (RFC 9162 §2.1.1): a leaf is ``H(0x00 ‖ entry)``, an interior node ``H(0x01 ‖ left ‖ right)``,
the empty tree ``H("")``; a tree of ``n > 1`` leaves splits at ``k``, the largest power of two
smaller than ``n``. ``H`` is SHA-256 (``"sha256"``, the default) or SM3 (``"sm3"``, 国密). All hashes
are ``bytes``; proofs are lists of ``bytes``, ordered as in RFC 9162 (from the leaf upwards).

Two ways to use it:

* **In memory**, over a list of entries: :func:`root_hash`, :func:`inclusion_proof`,
  :func:`consistency_proof`, and the verifiers :func:`verify_inclusion` and
  :func:`verify_consistency`, which never raise and return ``False`` on anything malformed.

* **Over stored subtree hashes**, without rehashing the log. The store keeps one row
  ``(level, index, hash)`` for every *perfect aligned subtree*: the subtree of ``2**level`` leaves
  covering ``[index * 2**level, (index + 1) * 2**level)``. Level 0 rows are the leaf hashes. The
  rows are append-only: once a subtree is complete its hash never changes, and every tree size's
  root and proofs can be assembled from O(log n) of them.

  - :class:`CompactRange` appends leaves: given the current size and its *frontier* (the perfect
    subtrees along the right edge, one per set bit of the size, read with :func:`frontier_positions`),
    ``append(leaf_hash)`` returns the new rows to store (the leaf and every subtree it completes,
    amortised two rows per leaf) and ``root()`` gives the new root; O(log n) per append.
  - :func:`root_from_subtrees`, :func:`inclusion_proof_from_subtrees` and
    :func:`consistency_proof_from_subtrees` take ``get(level, index) -> bytes`` returning a stored
    row. The matching ``*_positions`` functions list exactly the ``(level, index)`` rows each will
    ask for, so a caller can fetch them in one query and pass
    ``lambda level, index: rows[level, index]`` as ``get``.

The in-memory functions are built on the same subtree code (with an in-memory level table as the
store), so both paths are the same algorithm and are tested against each other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import Any

ALGORITHMS = ("sha256", "sm3")
DEFAULT_ALGORITHM = "sha256"
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

Hasher = Callable[[bytes], Any]  # a constructor like hashlib.sha256: data -> object with .digest()
GetSubtree = Callable[[int, int], bytes]  # (level, index) -> stored hash of that perfect subtree
Position = tuple[int, int]  # (level, index) of a perfect aligned subtree
Range = tuple[int, int]  # [start, end) of leaves

# Leaves are hashed and paired in chunks of this many, so memory stays flat however long the log.
_CHUNK_LEVEL = 14


def hasher(algorithm: str = DEFAULT_ALGORITHM) -> Hasher:
    """The hash constructor for ``algorithm``; ``ValueError`` for anything but sha256 / sm3."""
    if algorithm == "sha256":
        return hashlib.sha256
    if algorithm == "sm3":
        # hashlib has no named sm3 constructor; OpenSSL 3 provides it through hashlib.new.
        return partial(hashlib.new, "sm3")
    raise ValueError(f"不支持的哈希算法：{algorithm!r}（可选 sha256、sm3）")


def digest_size(algorithm: str = DEFAULT_ALGORITHM) -> int:
    """Length in bytes of every hash of ``algorithm`` (32 for both sha256 and sm3)."""
    return int(hasher(algorithm)(b"").digest_size)


def empty_root(algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """The root of the empty tree, ``H("")``."""
    return bytes(hasher(algorithm)(b"").digest())


def leaf_hash(entry: bytes, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """``H(0x00 ‖ entry)``."""
    return bytes(hasher(algorithm)(LEAF_PREFIX + entry).digest())


def node_hash(left: bytes, right: bytes, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """``H(0x01 ‖ left ‖ right)``."""
    return bytes(hasher(algorithm)(NODE_PREFIX + left + right).digest())


# --- geometry: which ranges and perfect subtrees make up roots and proofs -------------------------


def split_point(n: int) -> int:
    """RFC 6962's ``k``: the largest power of two strictly smaller than ``n`` (``n > 1``)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_positions(start: int, end: int) -> list[Position]:
    """The perfect aligned subtrees, left to right, whose concatenation is leaves ``[start, end)``.

    Valid for the ranges RFC 6962 trees are made of: ``start`` is a multiple of the largest power
    of two not exceeding ``end - start`` (true of every subtree of a tree that starts at 0).
    """
    positions = []
    while start < end:
        level = (end - start).bit_length() - 1
        positions.append((level, start >> level))
        start += 1 << level
    return positions


def frontier_positions(size: int) -> list[Position]:
    """The right edge of a tree of ``size`` leaves: one perfect subtree per set bit, left to right."""
    return perfect_positions(0, size)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The leaf ranges whose hashes form the inclusion proof of ``index`` in a tree of ``size``."""
    ranges = []
    for level in range((size - 1).bit_length()):
        sibling = (index >> level) ^ 1
        start = sibling << level
        if start < size:  # a missing right sibling means the node is carried up unchanged
            ranges.append((start, min(start + (1 << level), size)))
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The leaf ranges whose hashes form the consistency proof from ``old_size`` to ``new_size``.

    RFC 6962 §2.1.2's SUBPROOF, written with absolute offsets; empty when the proof is (sizes equal
    or the old tree empty).
    """
    if old_size <= 0 or old_size >= new_size:
        return []
    ranges: list[Range] = []
    _subproof(old_size, 0, new_size, True, ranges)
    return ranges


def _subproof(m: int, start: int, end: int, whole: bool, out: list[Range]) -> None:
    # Appends in the order the RFC concatenates: the deeper part first, then this level's sibling.
    n = end - start
    if m == n:
        if not whole:
            out.append((start, end))
        return
    k = split_point(n)
    if m <= k:
        _subproof(m, start, start + k, whole, out)
        out.append((start + k, end))
    else:
        _subproof(m - k, start + k, end, False, out)
        out.append((start, start + k))


def _positions_of(ranges: Iterable[Range]) -> list[Position]:
    return [position for start, end in ranges for position in perfect_positions(start, end)]


def root_positions(size: int) -> list[Position]:
    """The stored rows :func:`root_from_subtrees` reads for ``size``."""
    return frontier_positions(size)


def inclusion_positions(index: int, size: int) -> list[Position]:
    """The stored rows :func:`inclusion_proof_from_subtrees` reads (``index < size`` assumed)."""
    return _positions_of(inclusion_ranges(index, size))


def consistency_positions(old_size: int, new_size: int) -> list[Position]:
    """The stored rows :func:`consistency_proof_from_subtrees` reads."""
    return _positions_of(consistency_ranges(old_size, new_size))


# --- proofs and roots from stored perfect subtrees ----------------------------------------------


def fold(hashes: Sequence[bytes], algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Combine perfect subtree hashes (left to right, decreasing sizes) into their tree's root.

    Right to left, because in RFC 6962's left-heavy split the smaller trailing subtrees pair up
    first.
    """
    h = hasher(algorithm)
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = h(NODE_PREFIX + left + result).digest()
    return bytes(result)


def range_hash(start: int, end: int, get: GetSubtree, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Hash of the RFC 6962 subtree over leaves ``[start, end)``, from stored perfect subtrees."""
    return fold([get(level, i) for level, i in perfect_positions(start, end)], algorithm)


def root_from_subtrees(size: int, get: GetSubtree, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Root of the first ``size`` leaves (``H("")`` for 0), from at most log2(size)+1 lookups."""
    if size == 0:
        return empty_root(algorithm)
    return range_hash(0, size, get, algorithm)


def inclusion_proof_from_subtrees(
    index: int, size: int, get: GetSubtree, algorithm: str = DEFAULT_ALGORITHM
) -> list[bytes]:
    """Inclusion proof of leaf ``index`` in the tree of ``size``; ``ValueError`` unless 0 ≤ index < size."""
    if not 0 <= index < size:
        raise ValueError(f"叶子序号 {index} 超出树的大小 {size}")
    return [range_hash(start, end, get, algorithm) for start, end in inclusion_ranges(index, size)]


def consistency_proof_from_subtrees(
    old_size: int, new_size: int, get: GetSubtree, algorithm: str = DEFAULT_ALGORITHM
) -> list[bytes]:
    """Consistency proof from ``old_size`` to ``new_size`` (empty if equal or old is 0).

    ``ValueError`` unless 0 ≤ old_size ≤ new_size.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"旧树大小 {old_size} 与新树大小 {new_size} 不合法")
    return [range_hash(start, end, get, algorithm) for start, end in consistency_ranges(old_size, new_size)]


class CompactRange:
    """The right edge of a growing log: appends leaves and reports the subtree rows to store.

    ``frontier`` holds the hashes of :func:`frontier_positions` ``(size)``, left to right. Load it
    from storage with :meth:`from_subtrees`; each :meth:`append` is O(log n) and returns the rows
    ``(level, index, hash)`` that became complete (always the leaf itself at level 0, then one row
    per subtree the leaf closes).
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = (), algorithm: str = DEFAULT_ALGORITHM):
        if len(frontier) != size.bit_count():
            raise ValueError(f"边界哈希个数 {len(frontier)} 与树大小 {size} 不符")
        self.algorithm = algorithm
        self.size = size
        self._hash = hasher(algorithm)
        # Parallel lists, smallest subtree last: levels strictly decrease left to right.
        self._levels = [level for level, _ in frontier_positions(size)]
        self._hashes = list(frontier)

    @classmethod
    def from_subtrees(cls, size: int, get: GetSubtree, algorithm: str = DEFAULT_ALGORITHM) -> CompactRange:
        """Load the frontier of a stored tree of ``size`` leaves through ``get``."""
        return cls(size, [get(level, i) for level, i in frontier_positions(size)], algorithm)

    @property
    def frontier(self) -> list[bytes]:
        """The frontier hashes, left to right (a copy)."""
        return list(self._hashes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf *hash*; return the new ``(level, index, hash)`` rows to store."""
        return self.push(0, leaf)

    def push(self, level: int, subtree: bytes) -> list[tuple[int, int, bytes]]:
        """Add a whole perfect subtree of ``2**level`` leaves at the right edge.

        The size must be a multiple of ``2**level``. Returns the rows to store: the pushed subtree
        and every larger subtree it completes.
        """
        if self.size & ((1 << level) - 1):
            raise ValueError(f"树大小 {self.size} 未按 2^{level} 对齐")
        rows = [(level, self.size >> level, subtree)]
        self.size += 1 << level
        levels, hashes, node = self._levels, self._hashes, subtree
        while levels and levels[-1] == level:
            levels.pop()
            node = self._hash(NODE_PREFIX + hashes.pop() + node).digest()
            level += 1
            rows.append((level, (self.size >> level) - 1, node))
        levels.append(level)
        hashes.append(node)
        return rows

    def extend(self, entries: Iterable[bytes]) -> int:
        """Append raw ``entries`` (hashed here) without reporting rows; returns how many were added.

        For recomputing roots fast: leaves are hashed a chunk at a time and pushed as the largest
        aligned perfect subtrees, so the cost is close to bare hashing and memory stays bounded.
        """
        h, added = self._hash, 0
        for chunk in _chunks(entries, 1 << _CHUNK_LEVEL):
            leaves = [h(LEAF_PREFIX + entry).digest() for entry in chunk]
            start = 0
            while start < len(leaves):
                # The biggest block that both fits what is left and keeps the size aligned.
                level = (len(leaves) - start).bit_length() - 1
                if self.size:
                    level = min(level, (self.size & -self.size).bit_length() - 1)
                self.push(level, _perfect_root(leaves[start : start + (1 << level)], h))
                start += 1 << level
            added += len(leaves)
        return added

    def root(self) -> bytes:
        """Root of the tree so far (``H("")`` when empty)."""
        if not self._hashes:
            return empty_root(self.algorithm)
        return fold(self._hashes, self.algorithm)


# --- in memory: over a list of entries ----------------------------------------------------------


def _pair_up(nodes: list[bytes], h: Hasher) -> list[bytes]:
    # One level up: hashes each (left, right) pair; an odd last node is not complete, dropped here.
    return [
        h(NODE_PREFIX + left + right).digest() for left, right in zip(nodes[::2], nodes[1::2], strict=False)
    ]


def _perfect_root(nodes: list[bytes], h: Hasher) -> bytes:
    # Root of a power-of-two number of hashes.
    while len(nodes) > 1:
        nodes = _pair_up(nodes, h)
    return nodes[0]


def _chunks(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def root_hash(entries: Iterable[bytes], algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """RFC 6962 Merkle tree hash of ``entries`` (raw bytes, hashed as leaves here).

    Streams: entries may be any iterable (a generator over millions of rows is fine); memory stays
    bounded by one chunk of 2**14 leaf hashes plus the O(log n) frontier.
    """
    edge = CompactRange(algorithm=algorithm)
    edge.extend(entries)
    return edge.root()


class MemoryTree:
    """All perfect subtree hashes of a list of entries, in memory: a :data:`GetSubtree` source.

    ``levels[L][i]`` is the hash of perfect subtree ``(L, i)``. Holds about 2n hashes; meant for
    tests, exports and moderate logs (the database keeps the same rows for the real ledger).
    """

    def __init__(self, entries: Iterable[bytes], algorithm: str = DEFAULT_ALGORITHM):
        h = hasher(algorithm)
        self.algorithm = algorithm
        self.levels: list[list[bytes]] = [[h(LEAF_PREFIX + entry).digest() for entry in entries]]
        while len(self.levels[-1]) > 1:
            self.levels.append(_pair_up(self.levels[-1], h))
        self.size = len(self.levels[0])

    def get(self, level: int, index: int) -> bytes:
        """Stored hash of perfect subtree ``(level, index)``; ``IndexError`` if it is incomplete."""
        return bytes(self.levels[level][index])


def inclusion_proof(entries: Sequence[bytes], index: int, algorithm: str = DEFAULT_ALGORITHM) -> list[bytes]:
    """Inclusion proof (RFC 9162 PATH) of ``entries[index]``; ``ValueError`` if out of range."""
    tree = MemoryTree(entries, algorithm)
    return inclusion_proof_from_subtrees(index, tree.size, tree.get, algorithm)


def consistency_proof(
    entries: Sequence[bytes], old_size: int, algorithm: str = DEFAULT_ALGORITHM
) -> list[bytes]:
    """Consistency proof (RFC 9162 PROOF) from the first ``old_size`` entries to all of them."""
    tree = MemoryTree(entries, algorithm)
    return consistency_proof_from_subtrees(old_size, tree.size, tree.get, algorithm)


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2): never raises ---------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_hash(value: object, size: int) -> bool:
    return isinstance(value, bytes) and len(value) == size


def _valid_proof(proof: object, size: int) -> bool:
    return isinstance(proof, (list, tuple)) and all(_is_hash(p, size) for p in proof)


def root_from_inclusion_proof(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], h: Hasher
) -> bytes | None:
    """The root that ``proof`` implies for leaf hash ``leaf`` at ``index`` of ``size``; ``None`` if
    the proof has the wrong shape for that position. Inputs are assumed well-typed."""
    if index >= size:
        return None
    fn, sn, node = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return None  # more proof than tree
        if fn & 1 or fn == sn:
            node = h(NODE_PREFIX + sibling + node).digest()
            while not fn & 1 and fn:  # skip levels where this node has no right sibling
                fn, sn = fn >> 1, sn >> 1
        else:
            node = h(NODE_PREFIX + node + sibling).digest()
        fn, sn = fn >> 1, sn >> 1
    return bytes(node) if sn == 0 else None


def verify_inclusion(
    entry: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    algorithm: str = DEFAULT_ALGORITHM,
) -> bool:
    """True iff ``proof`` shows ``entry`` (raw bytes) is leaf ``index`` of the tree of ``size`` with ``root``."""
    try:
        h = hasher(algorithm)
        width = h(b"").digest_size
        if not (isinstance(entry, bytes) and _is_count(index) and _is_count(size)):
            return False
        if not (_is_hash(root, width) and _valid_proof(proof, width)):
            return False
        computed = root_from_inclusion_proof(h(LEAF_PREFIX + entry).digest(), index, size, proof, h)
        return computed is not None and computed == root
    except Exception:  # the contract is True/False for any input, however malformed
        return False


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    algorithm: str = DEFAULT_ALGORITHM,
) -> bool:
    """True iff ``proof`` shows the tree (``old_size``, ``old_root``) is a prefix of (``new_size``, ``new_root``).

    Equal sizes need an empty proof and equal roots; an old size of 0 needs an empty proof and the
    empty-tree root.
    """
    try:
        h = hasher(algorithm)
        width = h(b"").digest_size
        if not (_is_count(old_size) and _is_count(new_size) and old_size <= new_size):
            return False
        if not (_is_hash(old_root, width) and _is_hash(new_root, width) and _valid_proof(proof, width)):
            return False
        if old_size == 0:
            return not proof and old_root == h(b"").digest()
        if old_size == new_size:
            return not proof and old_root == new_root
        return _check_consistency(old_size, new_size, old_root, new_root, list(proof), h)
    except Exception:  # the contract is True/False for any input, however malformed
        return False


def _check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes], h: Hasher
) -> bool:
    if not proof:
        return False
    if old_size & (old_size - 1) == 0:
        proof = [old_root, *proof]  # the old tree is a perfect subtree of the new one: its root is implied
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = proof[0]
    for node in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first = h(NODE_PREFIX + node + first).digest()
            second = h(NODE_PREFIX + node + second).digest()
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = h(NODE_PREFIX + second + node).digest()
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and first == old_root and second == new_root
