#!/usr/bin/python3
"""Reference values from statsmodels itself (Debian: apt-get install python3-statsmodels).

Writes tests/evals/stats/fixtures/statsmodels.json; run from the repository root:
    /usr/bin/python3 evals/stats/reference/statsmodels_reference.py

  holm   statsmodels.stats.multitest.multipletests(p, alpha=0.05, method='holm')
  power  statsmodels.stats.power.NormalIndPower().power(..., ratio=0, alternative='larger'):
         one-sample, one-sided z-test power, the gate's power without its continuity correction
"""
import json
import pathlib

import numpy as np
import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

HOLM = [
    [0.03],
    [0.01, 0.04, 0.03, 0.005],
    [0.5, 0.01, 0.02, 0.02, 0.9, 0.001],
    [0.2, 0.3, 0.4],
    [0.0, 1.0, 0.05, 0.05],
    # The gate's family: three gated metrics, one clear regression.
    [0.0039, 1.0, 1.0],
]
rng = np.random.default_rng(12)
HOLM += [[float(x) for x in rng.beta(0.5, 2, size=k)] for k in (2, 5, 10, 18)]

holm = []
for p in HOLM:
    reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
    holm.append({"p": p, "adjusted": [float(x) for x in adjusted], "reject05": [bool(x) for x in reject]})

# (effect, sd, n, one-sided alpha): drops of a few points on eval sets of tens to thousands of questions.
POWER = [(0.05, 0.47, 69, 0.05 / 3), (0.1, 0.3, 200, 0.025), (0.02, 0.25, 1000, 0.05), (0.15, 0.5, 30, 0.01)]
power = [
    {"effect": e, "sd": s, "n": n, "alpha": a, "power": float(NormalIndPower().power(effect_size=e / s, nobs1=n, alpha=a, ratio=0, alternative="larger"))}
    for e, s, n, a in POWER
]

out = pathlib.Path("tests/evals/stats/fixtures/statsmodels.json")
meta = {"statsmodels": statsmodels.__version__, "numpy": np.__version__, "generator": "evals/stats/reference/statsmodels_reference.py"}
out.write_text(json.dumps({"meta": meta, "holm": holm, "power": power}, indent=1) + "\n")
print(f"wrote {out} (statsmodels {statsmodels.__version__})")
