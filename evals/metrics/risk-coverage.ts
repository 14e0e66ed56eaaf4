/**
 * Selective prediction: an answerer that may abstain trades coverage (share of questions answered) for risk
 * (share of answered questions answered wrongly), as a classifier trades recall for precision along its
 * threshold. Each record needs the answerer's confidence and whether its best answer is right; an
 * unanswerable question's answer is always wrong, so answering it adds risk.
 */
export interface Scored {
  confidence?: number;
  correctIfAnswered?: boolean;
}

export interface RiskCoveragePoint {
  /** Answer when confidence >= threshold. */
  threshold: number;
  coverage: number;
  /** Error rate among the answered; 0 when nothing is answered. */
  risk: number;
  answered: number;
}

export interface RiskCoverage {
  /** Every distinct threshold, from answering everything to answering least. */
  points: RiskCoveragePoint[];
  /** Area under the risk–coverage curve (lower is better): mean risk over coverage levels (Geifman & El-Yaniv, 2017). */
  aurc: number;
  n: number;
}

export function riskCoverage(records: readonly Scored[]): RiskCoverage | undefined {
  const labelled = records.flatMap((r) => (r.confidence !== undefined && r.correctIfAnswered !== undefined ? [{ c: r.confidence, ok: r.correctIfAnswered }] : []));
  const n = labelled.length;
  if (n === 0) return undefined;
  // Sorted by confidence, high first: answering the top j questions is the threshold at the j-th confidence.
  const sorted = [...labelled].sort((a, b) => b.c - a.c);
  const points: RiskCoveragePoint[] = [];
  let wrong = 0;
  let aurc = 0;
  for (const [i, r] of sorted.entries()) {
    if (!r.ok) wrong++;
    aurc += wrong / (i + 1) / n;
    const next = sorted[i + 1];
    // Ties share a threshold: a point only where the confidence changes.
    if (!next || next.c < r.c) points.push({ threshold: r.c, coverage: (i + 1) / n, risk: wrong / (i + 1), answered: i + 1 });
  }
  return { points: points.reverse(), aurc, n };
}

/** The point a threshold lands on: what answering at confidence >= threshold gives. */
export function operatingPoint(curve: RiskCoverage, threshold: number): RiskCoveragePoint {
  return curve.points.find((p) => p.threshold >= threshold) ?? { threshold, coverage: 0, risk: 0, answered: 0 };
}
