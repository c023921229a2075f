"""The RFC 6962 Merkle tree: published reference vectors, properties, stored subtrees, pymerkle.

No database: these tests exercise the pure core only.
"""

import hashlib
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sanxiang.ledger import merkle

# The standard eight test leaves of Certificate Transparency / Trillian (transparency-dev/merkle
# proof/verify_test.go) and the published roots for sizes 0–8, proofs as (0-based index, size).
LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes.fromhex("5051525354555657"),
    bytes.fromhex("606162636465666768696a6b6c6d6e6f"),
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# fmt: off
INCLUSION = [
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
# fmt: on
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def root(size: int) -> bytes:
    return bytes.fromhex(ROOTS[size])


def unhex(proof: list[str]) -> list[bytes]:
    return [bytes.fromhex(p) for p in proof]


def entries(count: int, seed: int = 0) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(count)]


# --- reference vectors -------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(9))
def test_reference_roots(size):
    assert merkle.root_hash(LEAVES[:size]) == root(size)


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_reference_inclusion_proofs_generated_and_verified(index, size, proof):
    assert merkle.inclusion_proof(LEAVES[:size], index) == unhex(proof)
    assert merkle.verify_inclusion(LEAVES[index], index, size, unhex(proof), root(size))


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_reference_consistency_proofs_generated_and_verified(old, new, proof):
    assert merkle.consistency_proof(LEAVES[:new], old) == unhex(proof)
    assert merkle.verify_consistency(old, new, root(old), root(new), unhex(proof))


def inclusion_probes(index, size, proof, entry, good_root):
    """Every way of getting a proof slightly wrong (after transparency-dev's corruption list)."""
    probes = [
        (entry, index - 1, size, proof, good_root),
        (entry, index + 1, size, proof, good_root),
        (entry, index ^ 2, size, proof, good_root),
        (entry, index, size * 2, proof, good_root),
        (entry, index, size // 2, proof, good_root),
        (b"WrongLeaf", index, size, proof, good_root),
        (entry, index, size, proof, root(0)),
        (entry, index, size, proof, SOME_HASH),
        (entry, index, size, [*proof, b""], good_root),
        (entry, index, size, [*proof, good_root], good_root),
        (entry, index, size, [b"", *proof], good_root),
        (entry, index, size, [good_root, *proof], good_root),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((entry, index, size, flipped, good_root))
    if proof:
        probes.append((entry, index, size, proof[:-1], good_root))
    if len(proof) > 1:
        probes.append((entry, index, size, [proof[0], SOME_HASH, *proof[1:]], good_root))
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION[1:])
def test_reference_inclusion_corruptions_fail(index, size, proof):
    for probe in inclusion_probes(index, size, unhex(proof), LEAVES[index], root(size)):
        assert not merkle.verify_inclusion(*probe), probe[1:3]


def consistency_probes(old, new, old_root, new_root, proof):
    probes = [
        (old - 1, new, old_root, new_root, proof),
        (old + 1, new, old_root, new_root, proof),
        (old ^ 2, new, old_root, new_root, proof),
        (old, new * 2, old_root, new_root, proof),
        (old, new // 2, old_root, new_root, proof),
        (old, new, b"WrongRoot", new_root, proof),
        (old, new, old_root, b"WrongRoot", proof),
        (old, new, new_root, old_root, proof),
        (old, new, old_root, new_root, []),
        (old, new, old_root, new_root, [*proof, b""]),
        (old, new, old_root, new_root, [*proof, old_root]),
        (old, new, old_root, new_root, [*proof, new_root]),
        (old, new, old_root, new_root, [b"", *proof]),
        (old, new, old_root, new_root, [old_root, *proof]),
        (old, new, old_root, new_root, [new_root, *proof]),
        (old, new, old_root, new_root, [proof[0], *proof]),
        (old, new, old_root, new_root, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((old, new, old_root, new_root, flipped))
    return probes


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY[1:])
def test_reference_consistency_corruptions_fail(old, new, proof):
    for probe in consistency_probes(old, new, root(old), root(new), unhex(proof)):
        assert not merkle.verify_consistency(*probe), probe[:2]


def test_trivial_consistency_cases():
    empty, r1, r2 = root(0), root(1), root(2)
    assert merkle.verify_consistency(0, 0, empty, empty, [])
    assert merkle.verify_consistency(0, 5, empty, root(5), [])
    assert merkle.verify_consistency(1, 1, r1, r1, [])
    assert not merkle.verify_consistency(1, 1, r1, r2, [])  # same size, different roots: a fork
    assert not merkle.verify_consistency(1, 0, r1, empty, [])  # time travel
    assert not merkle.verify_consistency(2, 1, r2, r1, [])
    assert not merkle.verify_consistency(1, 2, r1, r2, [])  # a proof is needed
    assert not merkle.verify_consistency(1, 1, r1, r1, [empty])  # but not here
    assert not merkle.verify_consistency(0, 1, r1, r1, [])  # an empty old tree has the empty root


def test_single_entry_tree():
    data = b"data"
    assert merkle.root_hash([data]) == merkle.leaf_hash(data)
    assert merkle.verify_inclusion(data, 0, 1, [], merkle.leaf_hash(data))
    assert not merkle.verify_inclusion(data, 0, 1, [], b"")
    for index, size in [(0, 0), (1, 0), (2, 1)]:
        assert not merkle.verify_inclusion(data, index, size, [], root(0))


# --- malformed input never raises --------------------------------------------------------------

GOOD = (LEAVES[1], 1, 5, unhex(INCLUSION[4][2]), root(5))
MALFORMED = [
    ("entry", "not bytes"),
    ("entry", None),
    ("index", -1),
    ("index", 5),
    ("index", 1.0),
    ("index", True),
    ("index", "1"),
    ("size", -5),
    ("size", None),
    ("proof", None),
    ("proof", "abc"),
    ("proof", [b"short"]),
    ("proof", [1, 2, 3]),
    ("proof", [None]),
    ("root", root(5)[:31]),
    ("root", root(5).hex()),
    ("root", None),
]


@pytest.mark.parametrize(("field", "value"), MALFORMED)
def test_verify_inclusion_rejects_malformed_input(field, value):
    args = dict(zip(["entry", "index", "size", "proof", "root"], GOOD, strict=True))
    assert merkle.verify_inclusion(**args)
    args[field] = value
    assert merkle.verify_inclusion(**args) is False


@pytest.mark.parametrize(
    "args",
    [
        (-1, 8, root(6), root(8), []),
        (6, 8, root(6), root(8), None),
        (6, 8, root(6), root(8), [b"x" * 32, "y"]),
        (6, 8, None, root(8), []),
        (6, 8, root(6), root(8)[:-1], []),
        ("6", 8, root(6), root(8), []),
        (6, 8.0, root(6), root(8), []),
        (6, 2**80, root(6), root(8), unhex(CONSISTENCY[2][2])),
    ],
)
def test_verify_consistency_rejects_malformed_input(args):
    assert merkle.verify_consistency(*args) is False


def test_unknown_algorithm_is_false_in_verifiers_and_an_error_elsewhere():
    assert merkle.verify_inclusion(*GOOD, algorithm="md5") is False
    assert merkle.verify_consistency(6, 8, root(6), root(8), unhex(CONSISTENCY[2][2]), algorithm="x") is False
    with pytest.raises(ValueError):
        merkle.root_hash(LEAVES, algorithm="md5")


# --- properties over random logs ---------------------------------------------------------------

sizes = st.integers(min_value=1, max_value=300)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_every_inclusion_proof_verifies_and_wrong_inputs_fail(size, data):
    log = entries(size, seed=size)
    tree_root = merkle.root_hash(log)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = merkle.inclusion_proof(log, index)
    assert merkle.verify_inclusion(log[index], index, size, proof, tree_root)
    assert not merkle.verify_inclusion(log[index] + b"!", index, size, proof, tree_root)
    assert not merkle.verify_inclusion(log[index], index, size, proof, SOME_HASH)
    assert not merkle.verify_inclusion(log[index], index, size, [*proof, SOME_HASH], tree_root)
    if proof:
        assert not merkle.verify_inclusion(log[index], index, size, proof[:-1], tree_root)
    other = data.draw(st.integers(min_value=0, max_value=size * 2))
    assume(other != index)
    if other >= size or log[other] != log[index]:
        assert not merkle.verify_inclusion(log[index], other, size, proof, tree_root)
    wrong_size = data.draw(st.integers(min_value=1, max_value=size * 2))
    assume(wrong_size != size)
    # RFC 6962 proofs bind the size only through the path's shape (index 0 of 65 and of 66 leaves
    # have the same path); the signed checkpoint binds size and root together. So: a wrong size
    # with a different shape must fail.
    if sides(index, wrong_size) != sides(index, size):
        assert not merkle.verify_inclusion(log[index], index, wrong_size, proof, tree_root)


def sides(index: int, size: int) -> list[bool]:
    """For each proof hash, whether it is a left sibling: the shape of the path."""
    return [start < index for start, _ in merkle.inclusion_ranges(index, size)] if index < size else []


@settings(max_examples=60, deadline=None)
@given(new=sizes, data=st.data())
def test_every_consistency_proof_verifies_and_wrong_inputs_fail(new, data):
    log = entries(new, seed=new + 1000)
    old = data.draw(st.integers(min_value=0, max_value=new))
    old_root, new_root = merkle.root_hash(log[:old]), merkle.root_hash(log)
    proof = merkle.consistency_proof(log, old)
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    assert not merkle.verify_consistency(old, new, SOME_HASH, new_root, proof)
    if old:  # everything is consistent with the empty tree
        assert not merkle.verify_consistency(old, new, old_root, SOME_HASH, proof)
    assert not merkle.verify_consistency(old, new, old_root, new_root, [*proof, SOME_HASH])
    if proof:
        assert not merkle.verify_consistency(old, new, old_root, new_root, proof[:-1])
    if 0 < old < new:
        forked = [*log[: old - 1], log[old - 1] + b"x", *log[old:]]
        assert not merkle.verify_consistency(old, new, merkle.root_hash(forked[:old]), new_root, proof)


@settings(max_examples=200, deadline=None)
@given(
    entry=st.one_of(st.binary(max_size=8), st.none(), st.text(max_size=3)),
    index=st.one_of(st.integers(-3, 40), st.none(), st.floats(allow_nan=True)),
    size=st.one_of(st.integers(-3, 40), st.text(max_size=2)),
    proof=st.one_of(st.lists(st.binary(min_size=30, max_size=33), max_size=7), st.none(), st.binary()),
    tree_root=st.one_of(st.binary(min_size=31, max_size=33), st.none()),
)
def test_verifiers_never_raise(entry, index, size, proof, tree_root):
    assert merkle.verify_inclusion(entry, index, size, proof, tree_root) in (True, False)
    assert merkle.verify_consistency(index, size, tree_root, tree_root, proof) in (True, False)


# --- stored perfect subtrees agree with the in-memory functions ---------------------------------


def getter(rows: dict[tuple[int, int], bytes]):
    return lambda level, index: rows[level, index]


def stored_rows(log: list[bytes], algorithm: str = "sha256") -> dict[tuple[int, int], bytes]:
    """Append leaf by leaf with CompactRange, the way the database stores them."""
    edge = merkle.CompactRange(algorithm=algorithm)
    rows = {}
    for entry in log:
        for level, index, value in edge.append(merkle.leaf_hash(entry, algorithm)):
            assert (level, index) not in rows, "a subtree is stored once"
            rows[level, index] = value
        assert edge.root() == merkle.root_hash(log[: edge.size], algorithm)
    return rows


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=0, max_value=260), data=st.data())
def test_subtree_proofs_match_in_memory(size, data):
    log = entries(size, seed=size + 7)
    rows = stored_rows(log)
    assert len(rows) == 2 * size - size.bit_count()  # exactly the complete aligned subtrees
    get = getter(rows)
    assert merkle.root_from_subtrees(size, get) == merkle.root_hash(log)
    old = data.draw(st.integers(min_value=0, max_value=size))
    assert merkle.consistency_proof_from_subtrees(old, size, get) == merkle.consistency_proof(log, old)
    assert set(merkle.consistency_positions(old, size)) <= rows.keys()
    if size:
        index = data.draw(st.integers(min_value=0, max_value=size - 1))
        assert merkle.inclusion_proof_from_subtrees(index, size, get) == merkle.inclusion_proof(log, index)
        # The positions helper names every row the proof reads, so one query can prefetch them.
        needed = {p: rows[p] for p in merkle.inclusion_positions(index, size)}
        assert merkle.inclusion_proof_from_subtrees(index, size, getter(needed)) == merkle.inclusion_proof(
            log, index
        )
        assert len(needed) <= 2 * size.bit_length()


def test_compact_range_resumes_from_stored_frontier():
    log = entries(100, seed=3)
    rows = stored_rows(log[:77])
    edge = merkle.CompactRange.from_subtrees(77, getter(rows))
    assert edge.root() == merkle.root_hash(log[:77])
    for entry in log[77:]:
        for level, index, value in edge.append(merkle.leaf_hash(entry)):
            rows[level, index] = value
    assert edge.root() == merkle.root_hash(log)
    assert rows == stored_rows(log)


def test_compact_range_rejects_inconsistent_frontier_and_misaligned_push():
    with pytest.raises(ValueError):
        merkle.CompactRange(3, [SOME_HASH])
    edge = merkle.CompactRange(1, [SOME_HASH])
    with pytest.raises(ValueError):
        edge.push(1, SOME_HASH)


def test_subtree_proof_arguments_are_checked():
    tree = merkle.MemoryTree(LEAVES)
    with pytest.raises(ValueError):
        merkle.inclusion_proof_from_subtrees(8, 8, tree.get)
    with pytest.raises(ValueError):
        merkle.consistency_proof_from_subtrees(5, 4, tree.get)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(LEAVES, -1)


def test_root_hash_streams_across_chunks():
    # Sizes around the chunk boundary exercise the push of whole chunks and of the ragged tail.
    chunk = 1 << merkle._CHUNK_LEVEL
    log = entries(chunk * 2 + 3, seed=9)
    tree = merkle.MemoryTree(log)
    for size in (chunk - 1, chunk, chunk + 1, 2 * chunk + 3):
        assert merkle.root_hash(iter(log[:size])) == merkle.root_from_subtrees(size, tree.get)


# --- SM3 ---------------------------------------------------------------------------------------


def test_sm3_roots_and_proofs():
    log = entries(37, seed=11)
    sm3_root = merkle.root_hash(log, "sm3")
    assert sm3_root != merkle.root_hash(log)
    assert merkle.leaf_hash(b"", "sm3") == hashlib.new("sm3", b"\x00").digest()
    assert merkle.root_hash([], "sm3") == hashlib.new("sm3", b"").digest()
    proof = merkle.inclusion_proof(log, 20, "sm3")
    assert merkle.verify_inclusion(log[20], 20, 37, proof, sm3_root, "sm3")
    assert not merkle.verify_inclusion(log[20], 20, 37, proof, sm3_root, "sha256")
    consistency = merkle.consistency_proof(log, 13, "sm3")
    assert merkle.verify_consistency(13, 37, merkle.root_hash(log[:13], "sm3"), sm3_root, consistency, "sm3")
    rows = stored_rows(log, "sm3")
    assert merkle.inclusion_proof_from_subtrees(20, 37, getter(rows), "sm3") == proof


# --- cross-check with an independent implementation ---------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_roots_and_inclusion_proofs_match_pymerkle(seed):
    pymerkle = pytest.importorskip("pymerkle")
    rng = random.Random(seed)
    log = entries(rng.randrange(1, 400), seed=seed + 50)
    # disable_security=False (the default) is what gives the RFC's 0x00 / 0x01 prefixes.
    peer = pymerkle.InmemoryTree(algorithm="sha256", disable_security=False)
    for entry in log:
        peer.append_entry(entry)
    for _ in range(20):
        size = rng.randrange(1, len(log) + 1)
        index = rng.randrange(size)
        assert peer.get_root(size) == merkle.root_hash(log[:size])
        # pymerkle's path (1-based index) starts with the leaf hash itself, then the RFC's proof.
        path = peer.prove_inclusion(index + 1, size).path
        assert path == [merkle.leaf_hash(log[index]), *merkle.inclusion_proof(log[:size], index)]


@settings(max_examples=30, deadline=None)
@given(before=st.integers(min_value=0, max_value=200), after=st.integers(min_value=0, max_value=200))
def test_compact_range_extend_from_any_size(before, after):
    log = entries(before + after, seed=before * 1000 + after)
    rows = stored_rows(log[:before])
    edge = merkle.CompactRange.from_subtrees(before, getter(rows))
    assert edge.extend(iter(log[before:])) == after
    assert edge.size == before + after
    assert edge.root() == merkle.root_hash(log)
