"""The draw's random numbers: SHAKE-256 streams read as 64-bit words, unbiased integers by rejection.

A **stream** is the SHAKE-256 output of ``seed ‖ label`` (the 32-byte seed, then the label in
UTF-8), read as consecutive 8-byte **little-endian** unsigned integers ("words"). The seed has a
fixed length, so no label can be mistaken for another.

An integer **below** ``bound`` (1 ≤ bound ≤ 2**64) takes the next word ``r`` and accepts it when
``r < 2**64 − (2**64 mod bound)``, returning ``r mod bound``; otherwise it takes the next word and
tries again. Each accepted residue then has exactly the same number of words mapping to it, so the
result is uniform; with the draw's bounds (at most the size of a pool) a rejection is rare
(probability < bound / 2**64) but is handled exactly as written.

The hot loops of :mod:`.sampling` and :mod:`.assignment` inline the common case: a word below
``2**64 − largest bound`` is accepted for every smaller bound too, so one comparison with a
constant decides it and :func:`accept` is called only in the rare remaining case.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Iterator
from itertools import chain

TWO64 = 1 << 64
WORD_BYTES = 8
MIN_READ = 64  # words read at least at first; each further read doubles the stream length
_BIG_ENDIAN = sys.byteorder == "big"


def _blocks(data: bytes, expected: int) -> Iterator[array]:
    """Successive parts of SHAKE-256(``data``) as arrays of words (little-endian on every host).

    hashlib cannot continue an XOF, so each read asks for a longer output and keeps its new tail:
    reading doubles the length each time, about twice the hashing of a stream read in one go.
    """
    xof = hashlib.shake_256(data)
    done, length = 0, max(expected, MIN_READ)
    while True:
        words = array("Q", xof.digest(length * WORD_BYTES)[done * WORD_BYTES :])
        if _BIG_ENDIAN:
            words.byteswap()
        yield words
        done, length = length, length * 2


def stream(seed: bytes, label: str, expected: int = 0) -> Iterator[int]:
    """The endless word stream of ``label`` under ``seed``; ``expected`` only sizes the first read."""
    if len(seed) != 32:
        raise ValueError("种子必须是 32 字节")
    return chain.from_iterable(_blocks(seed + label.encode("utf-8"), expected))


def accept(word: int, bound: int, words: Iterator[int]) -> int:
    """The first of ``word`` and the following words that is acceptable for ``bound`` (not reduced)."""
    limit = TWO64 - TWO64 % bound
    while word >= limit:
        word = next(words)
    return word


def below(bound: int, words: Iterator[int]) -> int:
    """A uniform integer in ``[0, bound)`` from ``words`` (see the module docstring)."""
    if not 1 <= bound <= TWO64:
        raise ValueError(f"取值上界必须在 1 到 2**64 之间：{bound}")
    return accept(next(words), bound, words) % bound
