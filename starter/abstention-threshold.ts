import type { Config } from './config.ts';

export interface ThresholdInUse {
  minScore: number;
  /** conformal: calibrated on this project's dev split; fallback: too few unanswerable questions of its own; manual: set by hand. */
  source: 'conformal' | 'fallback' | 'manual';
  /** Target share of unanswerable questions answered, and its finite-sample bound, when calibrated. */
  target?: number;
  bound?: number;
  /** Calibration questions and the rank the threshold sits above: they give the spread of a new set's answered share. */
  n?: number;
  rank?: number;
  /** Why this threshold, in one sentence. */
  reason: string;
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Which abstention threshold the extractive answerer uses and why, for the one line `ask`, `eval` and `serve`
 * print and their JSON carries. `evalsetHash`: the project's current eval set, to flag a calibration made on
 * another version of it. Undefined for a chat model, which decides for itself when to decline.
 */
export function abstentionThreshold(generator: Config['generator'], evalsetHash?: string): ThresholdInUse | undefined {
  if (generator.provider !== 'extractive') return undefined;
  const { minScore, abstention } = generator;
  if (!abstention || abstention.minScore !== minScore) {
    const edited = abstention ? `; ${abstention.method} calibration chose ${abstention.minScore}` : '';
    return {
      minScore,
      source: 'manual',
      reason: `generator.minScore set in the config, not calibrated on this project's eval set${edited} (\`ragfolio calibrate\` chooses one for a stated target)`,
    };
  }
  if (abstention.confidence !== undefined && abstention.confidence !== generator.confidence) {
    return {
      minScore,
      source: 'manual',
      reason: `generator.confidence is "${generator.confidence}" but the threshold was calibrated on the ${abstention.confidence} score: re-run \`ragfolio calibrate\``,
    };
  }
  const limits = { target: abstention.target, bound: abstention.bound, n: abstention.n, rank: abstention.rank };
  const promise = `at most ${percent(abstention.target)} of unanswerable questions answered`;
  if (abstention.method === 'fallback') {
    return { minScore, source: 'fallback', ...limits, reason: `fallback: ${abstention.reason}; ${promise} on ${abstention.source}, not on this project's questions` };
  }
  const stale = evalsetHash !== undefined && evalsetHash !== abstention.evalsetHash ? '; the eval set has changed since: re-run `ragfolio calibrate`' : '';
  return {
    minScore,
    source: 'conformal',
    ...limits,
    reason: `conformal: ${promise} (bound ${abstention.bound.toFixed(3)}), from ${abstention.n} unanswerable ${abstention.split} questions of eval set ${abstention.evalsetHash.slice(0, 12)}…, ${abstention.calibratedAt.slice(0, 10)}${stale}`,
  };
}

/** The one line: "abstention threshold 0.5432 (conformal: …)". */
export function thresholdLine(threshold: ThresholdInUse): string {
  return `abstention threshold ${threshold.minScore} (${threshold.reason})`;
}
