#!/usr/bin/env python3
"""Reference values for evals/stats, computed with numpy/scipy on FIXED inputs.

Writes tests/evals/stats/fixtures/reference.json (inputs + expected outputs).
The TypeScript tests only read that JSON; they never call Python.

    python3 evals/stats/reference/make_reference.py

Sources of truth:
  normal      scipy.stats.norm.cdf / .ppf
  quantile    numpy.quantile (method='linear', the default)
  wilson      scipy.stats.binomtest(k, n).proportion_ci(method='wilson')
  mcnemar     scipy.stats.binomtest(min(b01, b10), b01 + b10, 0.5).pvalue
              (== statsmodels mcnemar(exact=True))
  holm        not here: statsmodels_reference.py takes it from statsmodels itself
  permutation scipy.stats.permutation_test(permutation_type='samples', exact),
              cross-checked by brute-force sign-flip enumeration; large integer
              cases by an exact dynamic-programming null distribution
  rng/bootstrap  a line-by-line Python mirror of rng.ts + bootstrap.ts, so the
              TS output must match bit for bit (pins cross-run determinism).
"""

from __future__ import annotations

import itertools
import json
import math
import pathlib
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = ROOT / "tests" / "evals" / "stats" / "fixtures" / "reference.json"

M32 = 0xFFFFFFFF


# ---------------------------------------------------------------- rng mirror
def _imul(a: int, b: int) -> int:
    return (a * b) & M32


def _fmix32(h: int) -> int:
    h = _imul(h ^ (h >> 16), 0x85EBCA6B)
    h = _imul(h ^ (h >> 13), 0xC2B2AE35)
    return (h ^ (h >> 16)) & M32


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & M32


class Rng:
    """Mirror of evals/stats/rng.ts (xoshiro128** seeded by Weyl + fmix32)."""

    def __init__(self, seed: int) -> None:
        weyl = seed & M32
        words = []
        for _ in range(4):
            weyl = (weyl + 0x9E3779B9) & M32
            words.append(_fmix32(weyl))
        if not any(words):
            words[0] = 1
        self.s = words

    def uint32(self) -> int:
        s0, s1, s2, s3 = self.s
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def next(self) -> float:
        hi = self.uint32() >> 5
        lo = self.uint32() >> 6
        return (hi * 67108864 + lo) / 9007199254740992

    def int(self, n: int) -> int:
        limit = 2**32 - (2**32 % n)
        u = self.uint32()
        while u >= limit:
            u = self.uint32()
        return u % n


def bootstrap_mirror(values: list[float], resamples: int, seed: int, level: float) -> dict:
    """Mirror of bootstrapCi: same draws, same left-to-right sums, numpy linear quantile."""
    n = len(values)
    rng = Rng(seed)
    means = []
    for _ in range(resamples):
        s = 0.0
        for _ in range(n):
            s += values[rng.int(n)]
        means.append(s / n)
    means_arr = np.sort(np.array(means))
    tail = (1 - level) / 2
    total = 0.0
    for v in values:
        total += v
    return {
        "mean": total / n,
        "lo": float(np.quantile(means_arr, tail)),
        "hi": float(np.quantile(means_arr, 1 - tail)),
    }


# ---------------------------------------------------------------- fixed inputs
# Per-question scores of a baseline (A) and a candidate (B); hand-written.
SCORES_A_12 = [0.62, 0.71, 0.55, 0.80, 0.47, 0.66, 0.73, 0.58, 0.69, 0.51, 0.77, 0.64]
SCORES_B_12 = [0.68, 0.70, 0.61, 0.85, 0.52, 0.66, 0.79, 0.60, 0.75, 0.50, 0.83, 0.71]

# 0/1 hit@5 outcomes for 24 questions (several zero differences).
HITS_A_24 = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1]
HITS_B_24 = [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]

# 16 continuous differences with a deliberate exact tie in |sum| structure.
SCORES_A_16 = [0.5, 0.25, 0.75, 0.5, 0.125, 0.375, 0.625, 0.875, 0.5, 0.25, 0.75, 0.5, 0.0, 1.0, 0.5, 0.5]
SCORES_B_16 = [0.75, 0.25, 0.5, 0.625, 0.25, 0.5, 0.5, 1.0, 0.5, 0.5, 0.875, 0.375, 0.25, 1.0, 0.625, 0.75]

# Null-ish case: differences symmetric around 0 -> p-value 1.
SYM_A = [0.3, 0.5, 0.4, 0.6]
SYM_B = [0.4, 0.4, 0.5, 0.5]

# Integer differences for the Monte-Carlo branch (25 nonzero > 20); exact p ~ 0.256.
MC_A = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4,
        6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8, 8, 4, 1, 9, 7]
MC_B = [2, 1, 3, 3, 5, 9, 0, 5, 6, 3, 3, 8, 9, 5, 8, 4, 2, 5, 8, 6,
        6, 3, 7, 3, 5, 4, 8, 4, 2, 7, 9, 6, 1, 3, 7, 9, 4, 3, 9, 8]

BOOT_SMALL = [0.2, 0.9, 0.4, 0.7, 0.55]
BOOT_30 = [round(0.5 + 0.4 * math.sin(1.7 * i + 0.3), 4) for i in range(30)]

QUANTILE_INPUTS = [
    [3.0],
    [1.0, 2.0],
    [0.1, 0.7, 0.3, 0.9, 0.5],
    [5.0, -1.0, 2.5, 2.5, 8.0, 0.0, 3.25],
    BOOT_30,
]
QUANTILE_QS = [0.0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1.0]

CDF_XS = [-38.0, -30.0, -20.0, -10.0, -8.0, -6.0, -5.0, -4.0, -3.5, -3.0, -2.5, -2.0, -1.999,
          -1.5, -1.0, -0.5, -1e-8, 0.0, 0.3, 1.0, 1.6448536269514722, 1.959963984540054, 2.0,
          2.5, 3.0, 4.0, 5.0, 6.0, 8.0]
PPF_PS = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.01, 0.02, 0.02425, 0.025, 0.05, 0.1,
          0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.97575, 0.99, 0.999, 1 - 1e-6,
          1 - 1e-10]

WILSON_CASES = [(0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.95), (10, 10, 0.95), (3, 10, 0.95),
                (7, 10, 0.9), (80, 100, 0.95), (400, 500, 0.99), (1, 1000, 0.95),
                (512, 1000, 0.8), (40, 50, 0.95)]

BINOM_CASES = [(0, 0), (0, 1), (1, 1), (0, 5), (1, 5), (2, 5), (3, 10), (5, 10), (7, 10),
               (0, 20), (6, 20), (9, 20), (30, 100), (49, 100), (50, 100), (100, 250),
               (450, 1000), (2400, 5000), (1300, 3000), (40, 3000)]

MCNEMAR_CASES = [
    (HITS_A_24, HITS_B_24),
    ([1, 1, 1, 0], [1, 1, 1, 0]),  # no discordant pairs -> p = 1
    ([1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 1, 0]),  # b01 == b10 -> p = 1
    ([1] * 15 + [0] * 5, [0] * 12 + [1] * 8),
]

RNG_SEEDS = [42, 0, 1, -1, 2**31, 123456789]
BOOT_CASES = [
    (BOOT_SMALL, 2000, 42, 0.95),
    (BOOT_SMALL, 2000, 7, 0.9),
    ([0.35], 100, 42, 0.95),
    (BOOT_30, 10000, 42, 0.95),
    (BOOT_30, 3000, 2024, 0.8),
]


# ---------------------------------------------------------------- helpers
def wilson_formula(k: int, n: int, level: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + 0.5 * level)
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (0.0 if k == 0 else center - half, 1.0 if k == n else center + half)


def signflip_enumeration(d: list[float]) -> float:
    obs = abs(sum(d))
    tol = 1e-9 * max(1.0, sum(abs(x) for x in d))
    hits = 0
    total = 0
    for signs in itertools.product((1, -1), repeat=len(d)):
        total += 1
        if abs(sum(s * x for s, x in zip(signs, d))) >= obs - tol:
            hits += 1
    return hits / total


def signflip_scipy(a: list[float], b: list[float]) -> float:
    res = stats.permutation_test(
        (np.asarray(a, float), np.asarray(b, float)),
        lambda x, y, axis: np.mean(y - x, axis=axis),
        permutation_type="samples",
        vectorized=True,
        n_resamples=np.inf,
        alternative="two-sided",
    )
    return float(res.pvalue)


def signflip_exact_integer(d: list[int]) -> float:
    """Exact two-sided sign-flip p-value for integer differences via DP over sums."""
    dist: dict[int, int] = {0: 1}
    for x in d:
        nxt: dict[int, int] = {}
        for s, c in dist.items():
            nxt[s + x] = nxt.get(s + x, 0) + c
            nxt[s - x] = nxt.get(s - x, 0) + c
        dist = nxt
    obs = abs(sum(d))
    hits = sum(c for s, c in dist.items() if abs(s) >= obs)
    return float(Fraction(hits, 2 ** len(d)))


def mcnemar_counts(a: list[int], b: list[int]) -> tuple[int, int]:
    b01 = sum(1 for x, y in zip(a, b) if not x and y)
    b10 = sum(1 for x, y in zip(a, b) if x and not y)
    return b01, b10


def binom_p(k: int, n: int) -> float:
    if n == 0:
        return 1.0
    return float(stats.binomtest(k, n, 0.5, alternative="two-sided").pvalue)


# ---------------------------------------------------------------- build
def main() -> None:
    ref: dict = {
        "meta": {
            "generator": "evals/stats/reference/make_reference.py",
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
        "normal": {
            "cdf": [{"x": x, "cdf": float(stats.norm.cdf(x))} for x in CDF_XS],
            "ppf": [{"p": p, "ppf": float(stats.norm.ppf(p))} for p in PPF_PS],
        },
        "quantile": [
            {"values": v, "q": q, "expected": float(np.quantile(np.asarray(v, float), q))}
            for v in QUANTILE_INPUTS
            for q in QUANTILE_QS
        ],
    }

    wilson = []
    for k, n, level in WILSON_CASES:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
        lo_f, hi_f = wilson_formula(k, n, level)
        assert abs(ci.low - lo_f) < 1e-12 and abs(ci.high - hi_f) < 1e-12, (k, n, level)
        wilson.append({"successes": k, "n": n, "level": level, "p": k / n,
                       "lo": float(ci.low), "hi": float(ci.high)})
    ref["wilson"] = wilson

    ref["binomial"] = [{"k": k, "n": n, "pValue": binom_p(k, n)} for k, n in BINOM_CASES]

    mcn = []
    for a, b in MCNEMAR_CASES:
        b01, b10 = mcnemar_counts(a, b)
        mcn.append({"a": a, "b": b, "b01": b01, "b10": b10,
                    "pValue": binom_p(min(b01, b10), b01 + b10)})
    ref["mcnemar"] = mcn


    perm_exact = []
    for name, a, b in [("scores12", SCORES_A_12, SCORES_B_12), ("hits24", HITS_A_24, HITS_B_24),
                       ("scores16", SCORES_A_16, SCORES_B_16), ("symmetric", SYM_A, SYM_B)]:
        d = [y - x for x, y in zip(a, b)]
        nz = [x for x in d if x != 0]
        p_enum = signflip_enumeration(nz)
        entry = {"name": name, "a": a, "b": b, "meanDiff": float(np.mean(np.subtract(b, a))),
                 "pValue": p_enum, "nonzero": len(nz)}
        if len(d) <= 16:  # scipy enumerates all 2^n including zero differences
            p_sp = signflip_scipy(a, b)
            assert abs(p_sp - p_enum) < 1e-12, (name, p_sp, p_enum)
            entry["pValueScipy"] = p_sp
        perm_exact.append(entry)
    ref["permutationExact"] = perm_exact

    d_mc = [y - x for x, y in zip(MC_A, MC_B)]
    ref["permutationMonteCarlo"] = {
        "a": MC_A, "b": MC_B,
        "meanDiff": float(np.mean(np.subtract(MC_B, MC_A))),
        "nonzero": sum(1 for x in d_mc if x != 0),
        "exactPValue": signflip_exact_integer([x for x in d_mc if x != 0]),
    }

    rng_ref = []
    for seed in RNG_SEEDS:
        r = Rng(seed)
        u32 = [r.uint32() for _ in range(8)]
        r = Rng(seed)
        nxt = [r.next() for _ in range(4)]
        r = Rng(seed)
        ints = [r.int(n) for n in (1, 2, 7, 10, 1000, 2**32 - 1, 3_000_000_000, 2**32)]
        rng_ref.append({"seed": seed, "uint32": u32, "next": nxt, "int": ints,
                        "intNs": [1, 2, 7, 10, 1000, 2**32 - 1, 3_000_000_000, 2**32]})
    ref["rng"] = rng_ref

    ref["bootstrap"] = [
        {"values": v, "resamples": r, "seed": s, "level": lv, **bootstrap_mirror(v, r, s, lv)}
        for v, r, s, lv in BOOT_CASES
    ]

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
