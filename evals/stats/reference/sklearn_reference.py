#!/usr/bin/python3
"""Reference values for Cohen's kappa from scikit-learn itself (Debian: apt-get install python3-sklearn).

Writes tests/evals/stats/fixtures/sklearn.json; run from the repository root:
    /usr/bin/python3 evals/stats/reference/sklearn_reference.py

  kappa  sklearn.metrics.cohen_kappa_score(grader, human) on 0/1 vectors: a grader against a person's labels
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import cohen_kappa_score

rng = np.random.default_rng(26)
cases = [
    # Hand-sized tables: perfect, chance-level, one disagreement, a grader that passes everything but one.
    ([1, 1, 0, 0], [1, 1, 0, 0]),
    ([1, 0, 1, 0], [1, 1, 0, 0]),
    ([1, 1, 1, 0, 0], [1, 1, 0, 0, 0]),
    ([1, 1, 1, 1, 0], [1, 0, 1, 0, 0]),
]
# Graders that agree with the person on a share p of n answers, at base rates seen in eval sets.
for n, base, p in [(30, 0.6, 0.9), (60, 0.7, 0.93), (138, 0.67, 0.8), (200, 0.3, 0.75), (500, 0.5, 0.55)]:
    human = (rng.random(n) < base).astype(int)
    flip = rng.random(n) > p
    grader = np.where(flip, 1 - human, human)
    cases.append(([int(x) for x in grader], [int(x) for x in human]))

kappa = [{"grader": g, "human": h, "kappa": float(cohen_kappa_score(g, h))} for g, h in cases]
out = pathlib.Path("tests/evals/stats/fixtures/sklearn.json")
meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "generator": "evals/stats/reference/sklearn_reference.py"}
out.write_text(json.dumps({"meta": meta, "kappa": kappa}) + "\n")
print(f"wrote {out} (scikit-learn {sklearn.__version__})")
