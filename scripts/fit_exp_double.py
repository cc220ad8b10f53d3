#!/usr/bin/env python3
"""Table and polynomial of double exp on AVX-512 (include/activ/math/exp.hpp, exp2_sixteenths).

Prints, for j = 0 … 15, T_j = 2^(j/16) rounded to double (its mantissa bits) and
c_j = (2^(j/16) − T_j)/T_j rounded to double; then the Remez fit (exchange algorithm on a grid)
of t(r) = 1 + d1·r + … + d5·r⁵ minimizing the relative error of 1 + r·t(r) against e^r on
|r| <= ln(2)/32 (widened by 2^−40 for the rounding of r), and that error with the coefficients
rounded to double. Needs python3-mpmath (Debian). Run: python3 scripts/fit_exp_double.py
"""
import struct

import mpmath as mp

mp.mp.dps = 60
H = mp.log(2) / 32 * (1 + mp.mpf(2) ** -40)
DEGREE = 5  # of t; unknowns d1 … d5 and the levelled error E


def rel_error(d, r):
    """(1 + r·t(r) − e^r)/e^r for t = 1 + d[0]·r + d[1]·r² + …"""
    t = 1 + sum(c * r ** (i + 1) for i, c in enumerate(d))
    return (1 + r * t - mp.exp(r)) / mp.exp(r)


def solve(points):
    # 1 + r + Σ d_i r^(i+1)·r − e^r = (−1)^k·E·e^r at each point k.
    n = DEGREE + 1
    a, b = mp.matrix(n, n), mp.matrix(n, 1)
    for k, r in enumerate(points):
        for i in range(DEGREE):
            a[k, i] = r ** (i + 2)
        a[k, DEGREE] = -((-1) ** k) * mp.exp(r)
        b[k] = mp.expm1(r) - r
    s = mp.lu_solve(a, b)
    return [s[i] for i in range(DEGREE)], s[DEGREE]


def extrema(d, samples=6000):
    grid = [-H + 2 * H * k / samples for k in range(samples + 1)]
    v = [rel_error(d, r) for r in grid]
    found = [(grid[0], v[0])]
    found += [(grid[k], v[k]) for k in range(1, samples) if (v[k] - v[k - 1]) * (v[k + 1] - v[k]) <= 0]
    found.append((grid[-1], v[-1]))
    alternating = []  # keep the larger of neighbours with the same sign
    for r, e in found:
        if alternating and (alternating[-1][1] > 0) == (e > 0):
            if abs(e) > abs(alternating[-1][1]):
                alternating[-1] = (r, e)
        else:
            alternating.append((r, e))
    while len(alternating) > DEGREE + 1:
        alternating.pop(0 if abs(alternating[0][1]) < abs(alternating[-1][1]) else -1)
    return [r for r, _ in alternating], max(abs(e) for e in v)


def main():
    print("j  mantissa bits of T_j   c_j")
    for j in range(16):
        exact = mp.power(2, mp.mpf(j) / 16)
        t = float(exact)
        bits = struct.unpack("<q", struct.pack("<d", t))[0] & ((1 << 52) - 1)
        print(f"{j:2d} {bits:#015x}  {float((exact - t) / t).hex()}")
    points = sorted(H * mp.cos(mp.pi * (2 * k + 1) / (2 * (DEGREE + 1))) for k in range(DEGREE + 1))
    for _ in range(10):
        d, levelled = solve(points)
        new_points, worst = extrema(d)
        if len(new_points) == DEGREE + 1:
            points = new_points
    rounded = [float(c) for c in d]
    print("d1 … d5:", ", ".join(c.hex() for c in rounded))
    print("levelled error", mp.nstr(abs(levelled), 5), "; with the rounded coefficients",
          mp.nstr(extrema([mp.mpf(c) for c in rounded])[1], 5))


if __name__ == "__main__":
    main()
