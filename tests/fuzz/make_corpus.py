#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz target (format: tests/fuzz/fuzz.hpp) into corpus/.

One seed per (value type, container family, functor, call), with the other header bytes
and the value pool drawn from a fixed seed, plus two 16 MiB raw runs (float and double) that
take the streaming-store path; then, from a second fixed seed (so that the seeds above keep
their bytes), Maxout and PReLU seeds: per value type, the axis innermost or outermost in memory
and (Maxout) k = 2 or 4, one per argmax type or call and one error case, with no empty dimension
and 8 or more units along the axis (the shuffles' batches); last, from a third seed, two 16 MiB
raw runs through the thread-pool overloads, and from a fourth, the thread-pool overloads on dense
views and PReLU's threaded slope gradient on tensors of 2^19 elements or more; from a fifth,
Maxout and PReLU through padded and inner-strided Matrix views and row-major Array views, and dense views of 2^19
elements or more and tensors of as many through the thread-pool overloads. Deterministic:
rerunning rewrites the same files.
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


def write_seed(out, name, header, pool):
    """Writes one seed (header + value pool) as out/name; returns 1, for the count."""
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes(header + pool))
    return 1


def layer_header(rng, family, double, axis):
    """A Maxout (4) or PReLU (5) header: random bytes, then the family, the value type, four
    dimensions of 1 to 5 (no empty one) and the axis (header[20])."""
    header = bytearray(rng.getrandbits(8) for _ in range(32))
    header[0] = family
    header[1] = 1 if double else 0
    for d in range(4):
        header[16 + d] = 1 + rng.randrange(5)
    header[20] = axis
    return header


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
    layers = random.Random(20261128)
    for double in (False, True):
        for family, fname, variants in ((4, "maxout", ["index", "int8"]),
                                        (5, "prelu", ["forward", "derivative", "backward", "dalpha", "accumulate"])):
            for inner in (True, False):  # the axis innermost in memory (0), or outermost (3)
                for pieces in ((2, 4) if family == 4 else (1,)):
                    for v, vname in enumerate(variants + ["error"]):
                        header = layer_header(layers, family, double, 0 if inner else 3)
                        header[21] = pieces - 1 if family == 4 else layers.randrange(2)
                        header[22] = 8 + layers.randrange(13)  # a batch of 8 groups or more
                        header[23] = v % len(variants)
                        header[25] = 0 if vname == "error" else 1 + layers.randrange(7)
                        pool = bytearray(layers.getrandbits(8) for _ in range(layers.choice([256, 1024])))
                        where = "inner" if inner else "outer"
                        k = f"-k{pieces}" if family == 4 else ""
                        name = f"{'double' if double else 'float'}-{fname}-{where}{k}-{vname}"
                        count += write_seed(out, name, header, pool)
    # 16 MiB raw runs through the thread-pool overloads (header [21] % 4 == 3, [22] % 3 + 1
    # threads), split between the threads: two threads, and three with the output on x.
    threaded = random.Random(20261204)
    for double, functor, call, threads, alias in ((False, 2, 2, 2, 0), (True, 4, 3, 3, 1)):
        header = bytearray(seed(threaded, 0, double, functor, call, large=True)[:32])
        header[20] = alias
        header[21] = 3
        header[22] = threads - 1
        pool = bytearray(threaded.getrandbits(8) for _ in range(1024))
        name = f"{'double' if double else 'float'}-raw-{FUNCTORS[functor]}-{CALLS[call]}-16MiB-{threads}threads"
        count += write_seed(out, name, header, pool)
    # From a fourth seed: the thread-pool overloads on Eigen containers. Dense views through the
    # device ([28] % 4 == 3, [29] % 3 + 1 threads), one per call; PReLU's backward with the slope
    # gradient on tensors stretched past 2^19 elements ([29] == 0xA5), split between 2 or 3
    # threads ([27] % 4 == 3, [28] % 3 + 1), the axis innermost and outermost, overwriting and
    # accumulating.
    pools = random.Random(20261205)
    for double, call in ((False, 0), (False, 2), (True, 1), (True, 3)):
        header = bytearray(seed(pools, 1, double, call + 1, call)[:32])
        header[28] = 3
        header[29] = pools.randrange(3)
        pool = bytearray(pools.getrandbits(8) for _ in range(256))
        name = f"{'double' if double else 'float'}-dense-{FUNCTORS[call + 1]}-{CALLS[call]}-threaded"
        count += write_seed(out, name, header, pool)
    for double, inner, variant, threads in ((False, True, 3, 2), (False, False, 4, 3), (True, True, 4, 2),
                                            (True, False, 3, 2)):
        header = layer_header(pools, 5, double, 0 if inner else 3)
        header[21] = pools.randrange(2) * 2  # one slope per channel
        header[22] = 3 + pools.randrange(18)
        header[23] = variant
        header[25] = 1 + pools.randrange(7)
        header[26] = pools.randrange(3)
        header[27] = 3
        header[28] = threads - 1
        header[29] = 0xA5
        header[31] = threads - 2 + 2 * pools.randrange(3)  # 2 + [31] % 2 times 2^18 elements
        pool = bytearray(pools.getrandbits(8) for _ in range(1024))
        where = "inner" if inner else "outer"
        vname = "dalpha" if variant == 3 else "accumulate"
        name = f"{'double' if double else 'float'}-prelu-{where}-{vname}-large-{threads}threads"
        count += write_seed(out, name, header, pool)
    # From a fifth seed: Maxout and PReLU through the Matrix views that have gaps (an OuterStride
    # of 1 to 3 elements beyond each column of the column-major view, row of the row-major one:
    # [26] = order + 6 · pad) and through the row-major Array view ([26] = 5), the axis first and
    # last in turn.
    views = random.Random(20261206)
    for double in (False, True):
        for family, fname, variants in ((4, "maxout", ["index", "int8"]), (5, "prelu", ["forward", "dalpha"])):
            for v, (vname, code) in enumerate((("padded-colmajor", 1 + 6 * (1 + views.randrange(3))),
                                               ("padded-rowmajor", 2 + 6 * (1 + views.randrange(3))),
                                               ("rowmajor-array", 5))):
                inner = (v + double) % 2 == 0
                header = layer_header(views, family, double, 0 if inner else 3)
                header[21] = views.randrange(2) + (1 if family == 4 else 0)  # Maxout: k = 2 or 3
                header[22] = 3 + views.randrange(18)
                call = variants[v % 2]
                header[23] = (0 if call in ("index", "forward") else 1) if family == 4 else (0 if call == "forward" else 3)
                header[25] = 1 + views.randrange(7)
                header[26] = code
                header[27] = 0  # PReLU: one thread
                header[29] = 0
                pool = bytearray(views.getrandbits(8) for _ in range(512))
                name = f"{'double' if double else 'float'}-{fname}-{vname}-{'inner' if inner else 'outer'}-{call}"
                count += write_seed(out, name, header, pool)
    # Then dense views of 2^19 elements or more through the thread-pool overloads on 2 and 3
    # threads ([28] % 4 == 3, [29] % 3 + 1, [30] == 0xA5), so that they are split.
    for double, functor, call, threads in ((False, 0, 2, 2), (False, 3, 0, 3), (True, 4, 1, 2), (True, 1, 3, 3)):
        header = bytearray(seed(views, 1, double, functor, call)[:32])
        header[28] = 3
        header[29] = threads - 1
        header[30] = 0xA5
        pool = bytearray(views.getrandbits(8) for _ in range(1024))
        name = f"{'double' if double else 'float'}-dense-{FUNCTORS[functor]}-{CALLS[call]}-large-{threads}threads"
        count += write_seed(out, name, header, pool)
    # And tensors of 2^19 elements or more (rank 1, 2, 3) through the thread-pool overloads
    # ([27] % 4 == 3, [28] % 3 + 1 threads, [29] == 0xA5, dimension [30] % rank stretched).
    for double, functor, call, threads, rank in ((False, 2, 0, 2, 1), (False, 4, 2, 3, 3), (True, 3, 3, 2, 2),
                                                 (True, 0, 1, 3, 3)):
        header = bytearray(seed(views, 2, double, functor, call)[:32])
        header[14] = rank - 1
        header[27] = 3
        header[28] = threads - 1
        header[29] = 0xA5
        header[30] = views.randrange(rank)
        pool = bytearray(views.getrandbits(8) for _ in range(1024))
        name = f"{'double' if double else 'float'}-tensor-{FUNCTORS[functor]}-{CALLS[call]}-rank{rank}-large-{threads}threads"
        count += write_seed(out, name, header, pool)
    # Last, Maxout and PReLU through Matrix views with an inner stride of 2 or 3 as well
    # ([26] = order + 6·pad + 24·(step − 1)).
    for double in (False, True):
        for family, fname in ((4, "maxout"), (5, "prelu")):
            order = 1 + (family + double) % 2
            pad, step = (0 if double else 1 + views.randrange(3)), 2 + views.randrange(2)  # unpadded too
            header = layer_header(views, family, double, 0 if double else 3)
            header[21] = 1 + views.randrange(2) if family == 4 else 0
            header[22] = 3 + views.randrange(18)
            header[23] = 0 if family == 4 else 3  # Maxout: Eigen::Index argmax; PReLU: dalpha
            header[25] = 1 + views.randrange(7)
            header[26] = order + 6 * pad + 24 * (step - 1)
            header[27] = 0
            header[29] = 0
            pool = bytearray(views.getrandbits(8) for _ in range(512))
            layout = "colmajor" if order == 1 else "rowmajor"
            name = f"{'double' if double else 'float'}-{fname}-stride{step}-{layout}-{'inner' if double else 'outer'}"
            count += write_seed(out, name, header, pool)
    # From a sixth seed: Maxout and PReLU on the other tensors ([12] == 0xC3, [13] % 3: a
    # row-major tensor, a slice of a larger column-major one, a slice of a row-major one, the
    # slice's margins from [14] and [15]), each axis in turn; then PReLU's slope gradient on
    # stretched slices through the thread-pool overload.
    tensors = random.Random(20261207)
    kinds = ["rowmajor", "slice-colmajor", "slice-rowmajor"]
    for double in (False, True):
        for family, fname, variants in ((4, "maxout", ["index", "int8"]), (5, "prelu", ["forward", "backward", "dalpha"])):
            for kind, kname in enumerate(kinds):
                axis = (kind + family + 2 * double) % 4
                header = layer_header(tensors, family, double, axis)
                header[12] = 0xC3
                header[13] = kind
                header[21] = tensors.randrange(2) + (1 if family == 4 else 0)  # Maxout: k = 2 or 3
                header[22] = 3 + tensors.randrange(18)
                call = variants[(kind + double) % len(variants)]
                header[23] = variants.index(call) if family == 4 else {"forward": 0, "backward": 2, "dalpha": 3}[call]
                header[25] = 1 + tensors.randrange(7)
                header[26] = 3 * tensors.randrange(2)  # the tensor view, on the first and last axes too
                header[27] = 0
                header[29] = 0
                pool = bytearray(tensors.getrandbits(8) for _ in range(512))
                name = f"{'double' if double else 'float'}-{fname}-tensor-{kname}-axis{axis}-{call}"
                count += write_seed(out, name, header, pool)
    for double, kind, axis, threads in ((False, 2, 0, 2), (True, 1, 3, 3)):
        header = layer_header(tensors, 5, double, axis)
        header[12] = 0xC3
        header[13] = kind
        header[21] = 0  # one slope per channel
        header[22] = 3 + tensors.randrange(18)
        header[23] = 3 + double  # the slope gradient, overwriting and accumulating
        header[25] = 1 + tensors.randrange(7)
        header[26] = 0
        header[27] = 3
        header[28] = threads - 1
        header[29] = 0xA5
        header[31] = threads - 2 + 2 * tensors.randrange(3)
        pool = bytearray(tensors.getrandbits(8) for _ in range(1024))
        name = f"{'double' if double else 'float'}-prelu-tensor-{kinds[kind]}-axis{axis}-large-{threads}threads"
        count += write_seed(out, name, header, pool)
    # Maxout with larger k along the innermost axis (header [21] >= 192: k = 1 + [21] % 17): the
    # AVX-512 permutes take k = 3 ... 16 (8 and 16 here), the gathers k = 17.
    larger = random.Random(20261207)
    for double in (False, True):
        for pieces in (8, 16, 17):
            header = layer_header(larger, 4, double, 0)
            header[21] = next(b for b in range(192, 256) if b % 17 == pieces - 1)
            header[22] = 8 + larger.randrange(13)
            header[23] = larger.randrange(2)
            header[25] = 1 + larger.randrange(7)
            pool = bytearray(larger.getrandbits(8) for _ in range(1024))
            name = f"{'double' if double else 'float'}-maxout-inner-k{pieces}"
            count += write_seed(out, name, header, pool)
    print(f"{count} seeds in {out}")


if __name__ == "__main__":
    main()
