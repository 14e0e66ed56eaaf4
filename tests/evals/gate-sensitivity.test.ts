import { describe, expect, test } from 'vitest';
import { compareRuns } from '../../evals/compare.ts';
import { evaluateGate, type GateOptions, type PairedVectors } from '../../evals/gate.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { holmLevels } from '../../evals/stats/holm.ts';
import { oneSidedBounds, pBelow, summarizeDifferences } from '../../evals/stats/noninferiority.ts';
import { normalPpf } from '../../evals/stats/normal.ts';
import { createRng, type Rng } from '../../evals/stats/rng.ts';
import { wilsonInterval } from '../../evals/stats/wilson.ts';
import { configSchema } from '../../starter/config.ts';
import { referenceRun, testAggregates } from './reference-run.ts';

// Everything here is built from the shipped evals/baseline.json and the default config, whatever they hold
// today: no metric value is written into the test.
const shipped: RunFile = referenceRun();
const defaults = configSchema.parse({}).eval;
const options: GateOptions = { ...defaults.gate, alpha: defaults.alpha };

/** The gated metrics of a run, paired with a mutated copy of themselves. */
function vectorsOf(run: RunFile, mutate: (metric: string, values: number[]) => number[] = (_, v) => v): PairedVectors[] {
  return options.metrics.flatMap((metric) => {
    const a = run.records.flatMap((r) => (r.metrics[metric] === undefined ? [] : [r.metrics[metric]]));
    return a.length === 0 ? [] : [{ metric, a, b: mutate(metric, [...a]) }];
  });
}

/** Turn the first k passes (1s) of a 0/1 vector into fails. */
function flipPasses(values: number[], k: number): number[] {
  let left = k;
  return values.map((v) => (v === 1 && left-- > 0 ? 0 : v));
}

const binaryGated = options.metrics.find((m) => /^(hit@\d+|contains)$/.test(m)) ?? 'contains';
const passes =
  vectorsOf(shipped)
    .find((v) => v.metric === binaryGated)
    ?.a.filter((x) => x === 1).length ?? 0;

describe('the one-sided bounds and the Holm levels agree with the p-values', () => {
  test('a bound at level a excludes 0 exactly when p < a, for 0/1 and continuous differences', () => {
    const rng = createRng(3);
    for (let t = 0; t < 200; t++) {
      const binary = t % 2 === 0;
      const d = Array.from({ length: 30 }, () => (binary ? rng.int(3) - 1 : rng.next() - 0.55));
      const s = summarizeDifferences(d, binary);
      for (const a of [0.05, 0.025, 0.0125]) expect(oneSidedBounds(s, a).upper < 0).toBe(pBelow(s, 0) < a);
    }
  });

  test('Holm levels: α/m, α/(m−1), … until the first non-rejection, whose level the rest keep', () => {
    expect(holmLevels([0.001, 0.02, 0.9], 0.05)).toEqual([0.05 / 3, 0.05 / 2, 0.05]);
    expect(holmLevels([0.001, 0.03, 0.9], 0.05)).toEqual([0.05 / 3, 0.05 / 2, 0.05 / 2]);
    expect(holmLevels([0.5, 0.001, 0.01], 0.05)).toEqual([0.05, 0.05 / 3, 0.05 / 2]);
    expect(holmLevels([0.04, 0.03], 0.05)).toEqual([0.05 / 2, 0.05 / 2]);
  });
});

describe('the gate is planned from the baseline alone (issue 24, finding 1)', () => {
  const flippedCopy = (flips: number): RunFile => ({
    ...shipped,
    label: `flipped-${flips}`,
    records: shipped.records.map((r, i) => {
      const before = shipped.records.slice(0, i).filter((x) => x.metrics[binaryGated] === 1).length;
      return r.metrics[binaryGated] === 1 && before < flips ? { ...r, metrics: { ...r.metrics, [binaryGated]: 0 } } : r;
    }),
  });
  const compared = (candidate: RunFile) => compareRuns(shipped, candidate, { metrics: defaults.compare, gate: defaults.gate, alpha: defaults.alpha, resamples: 200, seed: defaults.seed }).gate;

  test('an identical copy and a copy with one question flipped get the same MDE, power and warnings; eval states that MDE', () => {
    const same = compared({ ...shipped, label: 'copy' });
    const one = compared(flippedCopy(1));
    const aggregates = testAggregates(shipped.records, shipped.stats);
    for (const metric of same.family) {
      const a = same.metrics.find((m) => m.metric === metric);
      const b = one.metrics.find((m) => m.metric === metric);
      expect(a?.mde, metric).toBeTypeOf('number');
      expect(b?.mde, metric).toBe(a?.mde);
      expect(b?.powerAtMargin, metric).toBe(a?.powerAtMargin);
      expect(b?.questionsForMargin, metric).toBe(a?.questionsForMargin);
      // The eval table's MDE for this metric at this n is the gate's.
      expect(aggregates[metric]?.mde, metric).toBe(a?.mde);
      expect(aggregates[metric]?.n, metric).toBe(a?.n);
    }
    expect(one.warnings.filter((w) => /detects a drop/.test(w))).toEqual(same.warnings.filter((w) => /detects a drop/.test(w)));
    expect(one.plan).toEqual(same.plan);
  });

  test('the plan uses the Bernoulli sd at the baseline rate and one-sided α/m with the 1/n term', () => {
    const plan = compared(shipped).plan;
    const row = plan.metrics.find((m) => m.metric === binaryGated);
    const values = vectorsOf(shipped).find((v) => v.metric === binaryGated)?.a ?? [];
    const p = values.reduce((s, x) => s + x, 0) / values.length;
    expect(plan.level).toBeCloseTo(defaults.alpha / plan.family.length, 15);
    expect(row?.sd).toBeCloseTo(Math.sqrt(p * (1 - p)), 15);
    expect(row?.mde).toBeCloseTo(1 / values.length + ((normalPpf(1 - plan.level) + normalPpf(defaults.gate.power)) * Math.sqrt(p * (1 - p))) / Math.sqrt(values.length), 12);
  });
});

describe('the gate on mutated copies of the shipped baseline', () => {
  test('an identical copy passes, every gated metric shown non-inferior', () => {
    const gate = evaluateGate(vectorsOf(shipped), options);
    expect(gate.failed).toBe(false);
    for (const m of gate.metrics) expect(['non-inferior', 'constant']).toContain(m.verdict);
  });

  test.runIf(passes >= 8)('8 flipped passes of a gated 0/1 metric fail the gate (the case of issue 12)', () => {
    const gate = evaluateGate(
      vectorsOf(shipped, (m, v) => (m === binaryGated ? flipPasses(v, 8) : v)),
      options,
    );
    const row = gate.metrics.find((m) => m.metric === binaryGated);
    expect(row?.verdict).toBe('regressed');
    expect(row?.upper).toBeLessThan(0);
    expect(gate.failed).toBe(true);
  });

  test('flipping as many passes as the documented MDE fails the gate; one flip does not', () => {
    const mde = evaluateGate(vectorsOf(shipped), options).metrics.find((m) => m.metric === binaryGated)?.mde;
    const n = vectorsOf(shipped).find((v) => v.metric === binaryGated)?.a.length ?? 0;
    expect(mde).toBeTypeOf('number');
    const k = Math.ceil((mde ?? 1) * n);
    expect(k).toBeLessThanOrEqual(passes);
    const flipped = (flips: number) =>
      evaluateGate(
        vectorsOf(shipped, (m, v) => (m === binaryGated ? flipPasses(v, flips) : v)),
        options,
      );
    expect(flipped(k).failed).toBe(true);
    expect(flipped(1).failed).toBe(false);
  });

  test('degrading a continuous gated metric by its MDE on average fails the gate; by a tenth of it, not', () => {
    const metric = options.metrics.find((m) => /^(ndcg|mrr)@/.test(m));
    if (!metric) return expect.fail('no continuous gated metric in the default config');
    const mde = evaluateGate(vectorsOf(shipped), options).metrics.find((m) => m.metric === metric)?.mde ?? Number.NaN;
    const degrade = (drop: number) => {
      const a = vectorsOf(shipped).find((v) => v.metric === metric)?.a ?? [];
      const meanA = a.reduce((s, x) => s + x, 0) / a.length;
      // Every question loses the same share of its score: the mean drops by `drop`.
      return evaluateGate(
        vectorsOf(shipped, (m, v) => (m === metric ? v.map((x) => x * (1 - drop / meanA)) : v)),
        options,
      );
    };
    expect(degrade(mde).failed).toBe(true);
    expect(degrade(mde / 10).failed).toBe(false);
  });

  test('strict mode also fails when non-inferiority is not shown', () => {
    // Noise in both directions, no net change: inconclusive at this many questions, so only strict fails. The
    // noise grows with the eval set (a fixed count of swaps is shown non-inferior once the set is large enough).
    const swap = (v: number[]) => {
      const ones = v.flatMap((x, i) => (x === 1 ? [i] : []));
      const zeros = v.flatMap((x, i) => (x === 0 ? [i] : []));
      const out = [...v];
      const each = Math.ceil(v.length / 16);
      for (const i of [...ones.slice(0, each), ...zeros.slice(0, each)]) out[i] = 1 - (out[i] as number);
      return out;
    };
    const vectors = vectorsOf(shipped, (m, v) => (m === binaryGated ? swap(v) : v));
    const lenient = evaluateGate(vectors, options);
    expect(lenient.metrics.find((m) => m.metric === binaryGated)?.verdict).toBe('inconclusive');
    expect(lenient.failed).toBe(false);
    expect(evaluateGate(vectors, { ...options, strict: true }).failed).toBe(true);
  });

  test('a metric constant in both runs leaves the family and is flagged', () => {
    const n = 40;
    const gate = evaluateGate(
      [
        { metric: 'contains', a: Array.from({ length: n }, (_, i) => i % 2), b: Array.from({ length: n }, (_, i) => i % 2) },
        { metric: 'groundedness', a: Array(n).fill(1), b: Array(n).fill(1) },
      ],
      { ...options, metrics: ['contains', 'groundedness'] },
    );
    expect(gate.family).toEqual(['contains']);
    expect(gate.metrics.find((m) => m.metric === 'groundedness')?.verdict).toBe('constant');
    expect(gate.warnings.join('\n')).toMatch(/groundedness .*constant/);
  });
});

/** A run's gated vectors redrawn with noise: each 0/1 outcome flips with probability eps; scores get ±noise. */
function noisyCopy(rng: Rng, base: readonly PairedVectors[], eps: number): number[][] {
  return base.map(({ metric, a }) => (/^(hit@\d+|contains)$/.test(metric) ? a.map((x) => (rng.next() < eps ? 1 - x : x)) : a.map((x) => Math.min(1, Math.max(0, x + (rng.next() - 0.5) * 4 * eps)))));
}

/**
 * Null comparisons: baseline and candidate are two independent noisy draws around the shipped run (the same
 * system measured twice), so any gate failure is a false alarm.
 */
function falseAlarms(seed: number, trials: number, eps: number): { failures: number; trials: number } {
  const rng = createRng(seed);
  const base = vectorsOf(shipped);
  let failures = 0;
  for (let t = 0; t < trials; t++) {
    const x = noisyCopy(rng, base, eps);
    const y = noisyCopy(rng, base, eps);
    const vectors = base.map((v, i) => ({ metric: v.metric, a: x[i] as number[], b: y[i] as number[] }));
    if (evaluateGate(vectors, options).failed) failures++;
  }
  return { failures, trials };
}

describe('the stated sensitivity holds for random regressions', () => {
  test('a drop of the stated MDE, on random questions and with noise both ways, fails the gate at least `power` of the time', () => {
    const base = vectorsOf(shipped);
    const gated = base.find((v) => v.metric === binaryGated);
    const mde = evaluateGate(base, options).metrics.find((m) => m.metric === binaryGated)?.mde;
    if (!gated || mde === null || mde === undefined) return expect.fail(`no MDE stated for ${binaryGated}`);
    const passRate = gated.a.filter((x) => x === 1).length / gated.a.length;
    const eps = 0.05;
    // Each pass fails with probability q, and every question also flips with probability eps: E[Δ] = −mde.
    const q = Math.min(1, (mde + eps * passRate - eps * (1 - passRate)) / (passRate * (1 - eps)));
    const rng = createRng(404);
    const trials = 1000;
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      const b = gated.a.map((x) => {
        const dropped = x === 1 && rng.next() < q ? 0 : x;
        return rng.next() < eps ? 1 - dropped : dropped;
      });
      if (
        evaluateGate(
          base.map((v) => (v.metric === binaryGated ? { ...v, b } : v)),
          options,
        ).failed
      )
        caught++;
    }
    const rate = caught / trials;
    console.log(`drop of the stated MDE ${mde.toFixed(3)} on ${binaryGated}: caught ${caught}/${trials} (stated power ${options.power})`);
    expect(rate).toBeGreaterThanOrEqual(options.power - 3 * Math.sqrt((options.power * (1 - options.power)) / trials));
  });
});

describe('false alarms over seeded null comparisons', () => {
  // α plus three binomial standard errors at 2,000 trials: the simulation error allowed.
  const trials = 2000;
  const bound = options.alpha + 3 * Math.sqrt((options.alpha * (1 - options.alpha)) / trials);
  for (const eps of [0.02, 0.1, 0.25]) {
    test(`per-question noise ${eps}: false-alarm rate ≤ α + simulation error`, () => {
      const { failures } = falseAlarms(1000 + Math.round(eps * 100), trials, eps);
      const ci = wilsonInterval(failures, trials);
      console.log(`null comparisons, noise ${eps}: ${failures}/${trials} false alarms = ${ci.p.toFixed(4)} [${ci.lo.toFixed(4)}, ${ci.hi.toFixed(4)}] (α = ${options.alpha})`);
      expect(ci.p).toBeLessThanOrEqual(bound);
    });
  }
});
