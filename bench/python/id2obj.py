#!/usr/bin/env python3
"""CPython's side of the registry case (bench/cases/registry.mjs): the same id2obj loop on a
weakref.WeakValueDictionary keyed by id(obj).

    python3 bench/python/id2obj.py registry SIZE MODE

Draws the same numbers as the JavaScript case (the same seeded sfc32 PRNG, in the same order), so
its answers (number of gets, their sum, the size) must equal the other contenders'. Prints one line
"BENCH-RESULT {json}" like bench/worker.mjs. Python has no job boundaries to model: a "frame" is
10 000 gets timed on their own, and the "sync" batch is all of them in one loop. "remember" is
`d[id(o)] = o`; "remember again" does not apply (there is no object-to-id map but id() itself).
"""
import gc
import json
import sys
import time
import weakref

# Keep in sync with PARAMS in bench/cases/registry.mjs.
PARAMS = {
    "full": dict(frame=10_000, frames=60, warmup=20, batches=3),
    "quick": dict(frame=10_000, frames=20, warmup=10, batches=2),
    "smoke": dict(frame=500, frames=3, warmup=1, batches=1),
}
M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def prng(seed):
    """sfc32 seeded with FNV-1a, exactly as prng() in bench/lib/util.mjs."""
    h = 0x811C9DC5
    for ch in seed:
        h = imul(h ^ ord(ch), 0x01000193)
    a = h
    b = (h ^ 0x9E3779B9) & M32
    c = (h ^ 0x7F4A7C15) & M32
    d = 1
    state = [a, b, c, d]

    def nxt():
        a, b, c, d = state
        t = (a + b + d) & M32
        d = (d + 1) & M32
        a = b ^ (b >> 9)
        b = (c + (c << 3)) & M32
        c = ((c << 21) | (c >> 11)) & M32
        c = (c + t) & M32
        state[:] = [a, b, c, d]
        return t

    for _ in range(16):
        nxt()

    def below(n):
        return int((nxt() / 4294967296) * n)

    return below


class Obj:
    __slots__ = ("k", "v", "__weakref__")

    def __init__(self, k, v):
        self.k = k
        self.v = v


def main():
    case, size, mode = sys.argv[1], int(float(sys.argv[2])), sys.argv[3]
    if case != "registry":
        raise SystemExit(f"id2obj.py: only the registry case, not {case}")
    p = PARAMS[mode]
    frame, frames, warmup = p["frame"], p["frames"], p["warmup"]
    batches = min(2, p["batches"]) if size >= 1_000_000 else p["batches"]
    below = prng(f"registry/{size}")
    values = [Obj(i, below(1024)) for i in range(size)]

    d = weakref.WeakValueDictionary()
    ids = [0] * size
    t0 = time.perf_counter()
    for i in range(size):
        o = values[i]
        oid = id(o)
        d[oid] = o
        ids[i] = oid
    remember_ns = (time.perf_counter() - t0) * 1e9 / size

    total = warmup + frames
    idx = [below(size) for _ in range(total * frame)]
    gets = [ids[j] for j in idx]
    expected = [sum(values[j].v for j in idx[f * frame:(f + 1) * frame]) for f in range(total)]
    expected_all = sum(expected)
    get = d.get

    def get_range(start, end):
        s = 0
        for i in range(start, end):
            o = get(gets[i])
            if o is None or o.k != idx[i]:
                return -1 - i
            s += o.v
        return s

    gc.collect()
    frame_ns = []
    for f in range(total):
        t0 = time.perf_counter()
        got = get_range(f * frame, (f + 1) * frame)
        t1 = time.perf_counter()
        if got != expected[f]:
            print(f"registry: cpython gave a wrong answer in frame {f}: {got}, expected {expected[f]}", file=sys.stderr)
            sys.exit(3)
        if f >= warmup:
            frame_ns.append((t1 - t0) * 1e9 / frame)
    sync_ns = []
    for _ in range(batches):
        gc.collect()
        t0 = time.perf_counter()
        got = get_range(0, len(gets))
        t1 = time.perf_counter()
        if got != expected_all:
            print(f"registry: cpython gave a wrong answer in a sync batch: {got}, expected {expected_all}", file=sys.stderr)
            sys.exit(3)
        sync_ns.append((t1 - t0) * 1e9 / len(gets))

    def median(xs):
        xs = sorted(xs)
        n = len(xs)
        return None if n == 0 else xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2

    result = {
        "metrics": {"frames": median(frame_ns), "sync": median(sync_ns), "remember": remember_ns, "again": None},
        "samples": {"frames": frame_ns, "sync": sync_ns},
        "check": {"gets": len(gets), "sum": expected_all, "size": len(d)},
        "extra": {"python": sys.version.split()[0]},
    }
    sys.stdout.write("\nBENCH-RESULT " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
