import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRng } from '../../../evals/stats/rng.ts';
import { FITTED_ON, fitSupport, MODEL_FILE, type SupportRow, supportModelSource, supportReport } from '../../../scripts/fit-support.ts';
import { SUPPORT_FEATURES } from '../../../starter/answer/support.ts';
import { SUPPORT_MODEL } from '../../../starter/answer/support-model.ts';
import { REPO_ROOT } from '../../helpers/cli.ts';

// Three made-up datasets (two of docs, one of speeches): answerable questions have higher scores on every feature, with noise.
function rows(seed: number): SupportRow[] {
  const rng = createRng(seed);
  return ['a', 'b', 'c'].flatMap((dataset, d) =>
    Array.from({ length: [60, 30, 20][d] as number }, (_, i) => {
      const answerable = i % 3 !== 0;
      const lift = answerable ? 0.2 : 0;
      return {
        dataset,
        kind: dataset === 'c' ? 'speeches' : 'docs',
        id: `${dataset}${i}`,
        answerable,
        features: { sentence: 0.5 + lift + rng.next() * 0.3, bm25: 0.6 + lift + rng.next() * 0.5, margin: rng.next() * 0.5 + lift, typeMet: rng.next() < 0.9 ? 1 : 0 },
      };
    }),
  );
}

describe('scripts/fit-support.ts', () => {
  test('fits the same model and report on the same rows', () => {
    const model = fitSupport(rows(1));
    expect(fitSupport(rows(1))).toEqual(model);
    expect(supportReport(rows(1), model)).toBe(supportReport(rows(1), model));
    for (const f of SUPPORT_FEATURES) expect(model.features[f].weight).toBeGreaterThanOrEqual(0);
    expect(model.features.sentence.weight).toBeGreaterThan(0);
  });

  test('each kind of corpus weighs the same: doubling one dataset’s questions leaves the model as it was', () => {
    const once = rows(2);
    const twice = [...once, ...once.filter((r) => r.dataset === 'a').map((r) => ({ ...r, id: `${r.id}'` }))];
    const a = fitSupport(once);
    const b = fitSupport(twice);
    expect(b.intercept).toBeCloseTo(a.intercept, 4);
    for (const f of SUPPORT_FEATURES) expect(b.features[f].weight).toBeCloseTo(a.features[f].weight, 4);
  });

  test('the committed model file is what the script writes for the committed model', async () => {
    expect(await readFile(join(REPO_ROOT, MODEL_FILE), 'utf8')).toBe(supportModelSource(SUPPORT_MODEL, FITTED_ON));
  });
});
