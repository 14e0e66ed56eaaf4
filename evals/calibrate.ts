import { z } from 'zod';
import type { ThresholdInUse } from '../starter/abstention-threshold.ts';
import { type Abstention, CONFIDENCE_SCORES, type ConfidenceScore, configSchema } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { UNANSWERABLE_TYPE } from './metrics/answer.ts';
import type { RunAbstention } from './run-file.ts';
import { conformalPredictiveInterval, conformalThreshold, minimumScores } from './stats/conformal.ts';
import { type ProportionCi, wilsonInterval } from './stats/wilson.ts';

/** Default target: at most a quarter of unanswerable questions answered. */
export const DEFAULT_TARGET = 0.25;
/**
 * Fewest unanswerable dev questions a project calibrates on. Conformal needs only ⌈1/target⌉ − 1 (3 at 25%), but
 * then the answered share is only bounded above: with n scores it lies in (target − 1/(n + 1), target], and below
 * 20 that band is wider than 5 points. Fewer, and the project gets the fallback.
 */
export const MIN_UNANSWERABLE = 20;
/** Why a project from `ragfolio new` starts on the fallback (scripts/new/plan.ts). */
export const NEW_PROJECT_REASON = `a new project has not calibrated on its own dev split yet (\`ragfolio calibrate\` does, once it holds ${MIN_UNANSWERABLE} unanswerable questions)`;
/**
 * The score the fallback is calibrated on: the support score, which on the docs sets' dev splits answers more of
 * the answerable questions at the same target than the best quote's score (evals/tuning/support-fit.md).
 */
export const FALLBACK_CONFIDENCE: ConfidenceScore = 'support';

/** Where the kit keeps the fallback threshold (`ragfolio calibrate --fallback`); copied into every project. */
export const FALLBACK_FILE = 'configs/abstention-fallback.json';

export type ConformalAbstention = Extract<Abstention, { method: 'conformal' }>;
export type FallbackAbstention = Extract<Abstention, { method: 'fallback' }>;

/** What calibration reads of each answered eval question (a run record's fields). */
export interface ScoredQuestion {
  id: string;
  type: string;
  confidence?: number;
  correctIfAnswered?: boolean;
}

/** A share with its Wilson 95% interval. */
export interface Share extends ProportionCi {
  k: number;
  n: number;
}

export interface DevCost {
  /** Unanswerable dev questions answered at the threshold (at most the target, by construction, up to ties). */
  unanswerableAnswered: Share;
  /** Answerable dev questions declined at the threshold: the price of the guarantee. */
  falseAbstention: Share;
  /** Answerable dev questions answered with a gold answer in the quote. */
  contains: Share | undefined;
}

export type Calibration = { ok: true; abstention: ConformalAbstention; dev: DevCost } | { ok: false; n: number; needed: number };

export const share = (k: number, n: number): Share => ({ k, n, ...wilsonInterval(k, n) });

/** Fewest unanswerable questions for `target`: the documented minimum, or conformal's own if larger. */
export function neededUnanswerable(target: number): number {
  return Math.max(MIN_UNANSWERABLE, minimumScores(target));
}

/**
 * The conformal threshold on one split's records: the confidences of its unanswerable questions are the
 * calibration scores; the answerable ones give the cost. Pure: the caller runs the eval and writes the config.
 */
export function calibrateAbstention(records: readonly ScoredQuestion[], options: { target: number; evalsetHash: string; calibratedAt: string; confidence: ConfidenceScore }): Calibration {
  const unanswerable = records.filter((r) => r.type === UNANSWERABLE_TYPE);
  const missing = records.find((r) => r.confidence === undefined);
  if (missing) throw new UserError(`question ${missing.id} has no confidence: calibration needs the extractive answerer (generator.provider "extractive"), which reports one.`);
  const needed = neededUnanswerable(options.target);
  const scores = unanswerable.map((r) => r.confidence as number);
  const t = scores.length >= needed ? conformalThreshold(scores, options.target) : undefined;
  if (!t) return { ok: false, n: scores.length, needed };
  const abstention: ConformalAbstention = {
    method: 'conformal',
    minScore: t.threshold,
    target: options.target,
    bound: t.bound,
    n: t.n,
    rank: t.rank,
    evalsetHash: options.evalsetHash,
    split: 'dev',
    calibratedAt: options.calibratedAt,
    confidence: options.confidence,
  };
  return { ok: true, abstention, dev: costAt(records, t.threshold) };
}

/** What answering at confidence >= threshold gives on these records. */
export function costAt(records: readonly ScoredQuestion[], threshold: number): DevCost {
  const answers = (r: ScoredQuestion) => (r.confidence ?? 0) >= threshold;
  const unanswerable = records.filter((r) => r.type === UNANSWERABLE_TYPE);
  const answerable = records.filter((r) => r.type !== UNANSWERABLE_TYPE);
  const labelled = answerable.filter((r) => r.correctIfAnswered !== undefined);
  return {
    unanswerableAnswered: share(unanswerable.filter(answers).length, unanswerable.length),
    falseAbstention: share(answerable.filter((r) => !answers(r)).length, answerable.length),
    contains: labelled.length > 0 ? share(labelled.filter((r) => answers(r) && r.correctIfAnswered).length, labelled.length) : undefined,
  };
}

/** configs/abstention-fallback.json: a conformal threshold over the bundled docs eval sets' dev splits, pooled. */
export const fallbackFileSchema = z
  .object({
    minScore: z.number().min(0),
    target: z.number().gt(0).lt(1),
    bound: z.number().min(0).max(1),
    n: z.number().int().min(1),
    rank: z.number().int().min(1),
    sources: z.array(z.object({ dataset: z.string(), evalsetHash: z.string(), n: z.number().int().min(0) }).strict()).min(1),
    calibratedAt: z.string(),
    /** The score it was calibrated on; a project that takes the fallback reads the same. */
    confidence: z.enum(CONFIDENCE_SCORES),
  })
  .strict();
export type FallbackFile = z.infer<typeof fallbackFileSchema>;

/** The fallback as a project's abstention block, with why the project uses it. */
export function fallbackAbstention(fallback: FallbackFile, reason: string): FallbackAbstention {
  const sources = fallback.sources.map((s) => `${s.dataset} (${s.n})`).join(', ');
  return {
    method: 'fallback',
    minScore: fallback.minScore,
    target: fallback.target,
    bound: fallback.bound,
    n: fallback.n,
    rank: fallback.rank,
    reason,
    source: `the ${fallback.n} unanswerable dev questions of the bundled eval sets ${sources} (${FALLBACK_FILE})`,
    calibratedAt: fallback.calibratedAt,
    confidence: fallback.confidence,
  };
}

/**
 * The config's JSON with generator.minScore and generator.abstention set, every other field (and unknown ones a
 * newer version wrote) kept as it was. Refuses a chat-model generator, which has no threshold.
 */
export function withAbstention(configJson: unknown, abstention: Abstention, file: string): Record<string, unknown> {
  const config = isRecord(configJson) ? configJson : {};
  const generator = isRecord(config.generator) ? config.generator : { provider: 'extractive' };
  if (generator.provider !== undefined && generator.provider !== 'extractive') {
    throw new UserError(`${file}: generator.provider is "${String(generator.provider)}": only the extractive answerer has an abstention threshold to calibrate.`);
  }
  // A threshold is calibrated on one score: the config reads the one it was calibrated on.
  const out = { ...config, generator: { ...generator, minScore: abstention.minScore, abstention, ...(abstention.confidence ? { confidence: abstention.confidence } : {}) } };
  const parsed = configSchema.safeParse(out);
  if (!parsed.success) throw new UserError(`${file}: the calibrated config does not validate (${parsed.error.issues[0]?.message ?? 'invalid'}); fix the config and re-run \`ragfolio calibrate\`.`);
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A run's abstention facts: the threshold in use and why, and how many of its unanswerable questions it answered. */
export function abstentionReport(records: readonly { type: string; abstained: boolean }[], threshold: ThresholdInUse): RunAbstention {
  const unanswerable = records.filter((r) => r.type === UNANSWERABLE_TYPE);
  const m = unanswerable.length;
  const { n, rank } = threshold;
  return {
    ...threshold,
    ...(m > 0 ? { unanswerableAnswered: share(unanswerable.filter((r) => !r.abstained).length, m) } : {}),
    ...(m > 0 && n !== undefined && rank !== undefined ? { predicted95: conformalPredictiveInterval(n, rank, m) } : {}),
  };
}

/** "unanswerable answered 12/55 = 0.218 [0.129, 0.344] (Wilson 95%) · conformal bound ≤ 0.250 (target 0.25)": predicted beside observed. */
export function abstentionLine(report: RunAbstention, split: string): string | undefined {
  const seen = report.unanswerableAnswered;
  if (!seen) return undefined;
  const observed = `unanswerable ${split} questions answered: ${seen.k}/${seen.n} = ${seen.p.toFixed(3)} [${seen.lo.toFixed(3)}, ${seen.hi.toFixed(3)}] (Wilson 95%)`;
  if (report.bound === undefined || report.target === undefined) return `${observed} · threshold ${report.minScore} ${report.source}, no guarantee`;
  const spread = report.predicted95 ? `; 95% of such sets of ${seen.n} would have ${report.predicted95.lo}–${report.predicted95.hi} answered` : '';
  return `${observed} · ${report.source} guarantee: P(answered) ≤ ${report.bound.toFixed(3)} (target ${report.target})${spread}`;
}
