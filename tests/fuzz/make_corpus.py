#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz target (format: tests/fuzz/fuzz.hpp) into corpus/.

One seed per (value type, container family, functor, call), with the other header bytes
and the value pool drawn from a fixed seed, plus two 16 MiB raw runs (float and double) that
take the streaming-store path. Deterministic: rerunning rewrites the same files.
Usage: tests/fuzz/make_corpus.py [output directory]
"""
import os
import random
import sys

FAMILIES = ["raw", "dense", "tensor", "error"]
FUNCTORS = ["relu", "leaky", "elu", "sigmoid", "tanh"]
CALLS = ["forward", "derivative", "backward", "from_output"]


def seed(rng, family, double, functor, call, large=False):
    header = bytearray(rng.getrandbits(8) for _ in range(32))
    header[0] = family
    header[1] = 1 if double else 0
    header[2] = functor
    header[3] = call
    header[4] = rng.choice([0, 1, 1, 2])  # alpha: default, table, raw bits
    if family == 0:
        header[16] = 0xA5 if large else (header[16] if header[16] != 0xA5 else 0)
    pool = bytearray(rng.getrandbits(8) for _ in range(rng.choice([64, 256, 1024])))
    return bytes(header + pool)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20240601)
    count = 0
    for double in (False, True):
        for family, fname in enumerate(FAMILIES):
            for functor, gname in enumerate(FUNCTORS):
                for call, cname in enumerate(CALLS):
                    name = f"{'double' if double else 'float'}-{fname}-{gname}-{cname}"
                    with open(os.path.join(out, name), "wb") as f:
                        f.write(seed(rng, family, double, functor, call))
                    count += 1
        name = f"{'double' if double else 'float'}-raw-sigmoid-forward-16MiB"
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed(rng, 0, double, 3, 0, large=True))
        count += 1
    print(f"{count} seeds in {out}")


if __name__ == "__main__":
    main()
