"""``python -m bench.ledger_merkle [--entries N] [--skip-pymerkle]`` — the ledger's Merkle tree, in memory.

Side by side, over the same N synthetic canonical-JSON entries (default 1,000,000):

* (a) building the tree root: ``sanxiang.ledger.merkle.root_hash`` against pymerkle 7's
  ``InmemoryTree`` (append every entry, then ask for the root) — entries per second;
* (c, floor) a bare ``hashlib`` loop over exactly the leaf and node input bytes of the same tree,
  prepared beforehand (the hashing nothing can go under), against ``root_hash``;
* (b, floor) inclusion and consistency proofs assembled from stored perfect-subtree hashes held in
  memory (the database adds its lookups on top) — p50 / p95 per proof;
* memory: tracemalloc peak of ``root_hash`` streaming the entries from a generator, at N/10 and
  N entries (flat means the peak does not grow with N).

``run(n)`` returns the rows; ``main()`` prints them as a table.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import statistics
import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from sanxiang.ledger import merkle

Row = dict[str, Any]


def entries(n: int) -> Iterator[bytes]:
    """N deterministic entries shaped like ledger entries (~200 bytes of canonical JSON)."""
    for i in range(n):
        digest = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
        yield (
            f'{{"actor":{{"role":"officer","user":{i % 997}}},"agency":{i % 50},"event":"case.update",'
            f'"object":"案{i:08d}","snapshot":"{digest}","time":"2026-11-21T00:30:00+00:00"}}'
        ).encode()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def pymerkle_root(items: list[bytes]) -> bytes:
    from pymerkle import InmemoryTree  # GPL-3.0 test-only peer: imported only when benchmarking

    tree = InmemoryTree(algorithm="sha256")  # disable_security=False: RFC 6962's 0x00 / 0x01 prefixes
    for item in items:
        tree.append_entry(item)
    return bytes(tree.get_root())


def hash_inputs(items: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """Every byte string the tree hashes: the n leaf inputs and the n-1 node inputs."""
    sha256 = hashlib.sha256
    leaf_inputs = [merkle.LEAF_PREFIX + item for item in items]
    node_inputs: list[bytes] = []
    level = [sha256(data).digest() for data in leaf_inputs]
    while len(level) > 1:
        pairs = [merkle.NODE_PREFIX + a + b for a, b in zip(level[::2], level[1::2], strict=False)]
        node_inputs += pairs
        level = [sha256(data).digest() for data in pairs] + level[len(pairs) * 2 :]
    return leaf_inputs, node_inputs


def bare_hashlib(leaf_inputs: list[bytes], node_inputs: list[bytes]) -> None:
    sha256 = hashlib.sha256
    for data in leaf_inputs:
        sha256(data).digest()
    for data in node_inputs:
        sha256(data).digest()


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[94]


def proof_rows(items: list[bytes], samples: int = 5000) -> list[Row]:
    tree = merkle.MemoryTree(items)
    n, rng = tree.size, random.Random(1)
    inclusion, consistency = [], []
    for _ in range(samples):
        index, old = rng.randrange(n), rng.randrange(1, n)
        start = time.perf_counter()
        merkle.inclusion_proof_from_subtrees(index, n, tree.get)
        middle = time.perf_counter()
        merkle.consistency_proof_from_subtrees(old, n, tree.get)
        inclusion.append(middle - start)
        consistency.append(time.perf_counter() - middle)
    rows = []
    for label, values in (("包含证明", inclusion), ("一致性证明", consistency)):
        p50, p95 = percentiles(values)
        rows.append(
            {
                "part": "(b) 下限",
                "what": f"{label}（内存中的子树哈希）",
                "p50_ms": p50 * 1e3,
                "p95_ms": p95 * 1e3,
            }
        )
    return rows


def streaming_peak(n: int) -> float:
    tracemalloc.start()
    merkle.root_hash(entries(n))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run(n: int = 1_000_000, with_pymerkle: bool = True) -> list[Row]:
    """Measure and return the table rows (see the module docstring)."""
    items = list(entries(n))
    rows: list[Row] = []
    ours_s, ours_root = timed(partial(merkle.root_hash, items))
    rows.append({"part": "(a) 建树", "what": "三项 merkle.root_hash", "seconds": ours_s, "rate": n / ours_s})
    if with_pymerkle:
        peer_s, peer_root = timed(partial(pymerkle_root, items))
        assert peer_root == ours_root, "pymerkle 的根哈希与本实现不同"
        rows.append(
            {"part": "(a) 建树", "what": "pymerkle 7 InmemoryTree", "seconds": peer_s, "rate": n / peer_s}
        )
        rows[0]["vs"] = f"pymerkle 的 {peer_s / ours_s:.1f} 倍速度"
    floor_s, _ = timed(partial(bare_hashlib, *hash_inputs(items)))
    rows.append(
        {
            "part": "(c) 下限",
            "what": "裸 hashlib 循环（同样的叶/节点字节）",
            "seconds": floor_s,
            "rate": n / floor_s,
        }
    )
    rows.append(
        {
            "part": "(c) 下限",
            "what": "三项 merkle.root_hash",
            "seconds": ours_s,
            "rate": n / ours_s,
            "vs": f"下限的 {ours_s / floor_s:.2f} 倍时间",
        }
    )
    rows += proof_rows(items)
    del items
    small, large = streaming_peak(max(n // 10, 1)), streaming_peak(n)
    rows.append(
        {
            "part": "内存",
            "what": f"root_hash 流式峰值 {max(n // 10, 1)} 条 → {n} 条",
            "vs": f"{small:.1f} MB → {large:.1f} MB",
        }
    )
    return rows


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    space = " " * max(width - shown, 0)
    return space + text if right else text + space


def print_table(n: int, rows: list[Row]) -> None:
    print(f"\n账本 Merkle 树（内存），{n} 条记录，SHA-256\n")
    heads = [("部分", 10), ("内容", 40), ("秒", 8), ("条/秒", 12), ("p50 毫秒", 10), ("p95 毫秒", 10)]
    print("".join(pad(h, w, i > 1) for i, (h, w) in enumerate(heads)) + "   比较")
    for row in rows:
        cells = [
            row["part"],
            row["what"],
            f"{row['seconds']:.2f}" if "seconds" in row else "",
            f"{row['rate']:,.0f}" if "rate" in row else "",
            f"{row['p50_ms']:.3f}" if "p50_ms" in row else "",
            f"{row['p95_ms']:.3f}" if "p95_ms" in row else "",
        ]
        print(
            "".join(pad(c, w, i > 1) for i, (c, (_, w)) in enumerate(zip(cells, heads, strict=True))), end=""
        )
        print(f"   {row.get('vs', '')}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ledger_merkle", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the log (default 1000000)")
    parser.add_argument("--skip-pymerkle", action="store_true", help="do not run the pymerkle comparison")
    args = parser.parse_args(argv)
    print_table(args.entries, run(args.entries, with_pymerkle=not args.skip_pymerkle))


if __name__ == "__main__":
    main()
