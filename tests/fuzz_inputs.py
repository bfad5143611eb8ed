"""Byte mutations of a filled form, from a fixed seed: the same files on every run.

Used by ``tests/test_hostile_fuzz.py`` (a few hundred in CI) and ``bench/bench_fuzz.py`` (more).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

MUTATIONS = ("flip", "truncate", "insert", "repeat", "zero-run", "swap-digits")


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of ``data``: its name and the bytes."""
    how = rng.choice(MUTATIONS)
    out = bytearray(data)
    if how == "flip":
        for _ in range(rng.randint(1, 24)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif how == "truncate":
        del out[rng.randrange(len(out) // 4, len(out)):]
    elif how == "insert":
        at = rng.randrange(len(out))
        out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif how == "repeat":
        at, size = rng.randrange(len(out)), rng.randint(16, 4096)
        out[at:at] = out[at:at + size] * rng.randint(2, 8)
    elif how == "zero-run":
        at = rng.randrange(len(out))
        out[at:at + rng.randint(8, 2048)] = bytes(min(2048, len(out) - at))
    else:  # change numbers: object numbers, offsets, lengths, flags
        digits = [i for i in range(len(out)) if 48 <= out[i] <= 57]
        for _ in range(rng.randint(1, 12)):
            out[rng.choice(digits)] = rng.randrange(48, 58)
    return how, bytes(out)


def mutations(data: bytes, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """``count`` mutations of ``data`` from ``seed``: (file name, bytes)."""
    rng = random.Random(seed)
    for number in range(count):
        how, mutated = mutate(data, rng)
        yield f"{number:04d}-{how}.pdf", mutated
