import { describe, expect, test } from 'vitest';
import { operationalStats, passRateByType } from '../../evals/aggregate.ts';
import { compareRuns } from '../../evals/compare.ts';
import type { EvalItem } from '../../evals/evalset.ts';
import type { Leaderboard } from '../../evals/experiment.ts';
import { passed } from '../../evals/metrics/registry.ts';
import { buildIterationLog, ITERATIONS_FILE, keptRuns, TEMPLATE_CHANGE } from '../../evals/report/iterations.ts';
import { namedBaselineStep } from '../../evals/report/named-baseline.ts';
import { PITCH_FILE, PITCH_SECTIONS } from '../../evals/report/pitch.ts';
import { evalsetStats, missingArtefacts, renderSummary, type SummaryInput } from '../../evals/report/summary.ts';
import type { RunFile, RunRecord } from '../../evals/run-file.ts';
import { configSchema } from '../../starter/config.ts';
import { testAggregates } from './reference-run.ts';

const stats = { resamples: 1000, seed: 3, alpha: 0.05 };
const types = ['factoid', 'numeric', 'comparison', 'paraphrase', 'unanswerable'] as const;

function makeRecords(passRate: (i: number) => boolean): RunRecord[] {
  return Array.from({ length: 40 }, (_, i) => {
    const type = types[i % types.length] ?? 'factoid';
    const ok = passRate(i);
    const metrics: Record<string, number> =
      type === 'unanswerable'
        ? { abstain_correct: ok ? 1 : 0 }
        : { 'hit@5': ok || i % 3 === 0 ? 1 : 0, 'mrr@10': ok ? 1 / (1 + (i % 4)) : 0, 'ndcg@10': ok ? 0.5 + (i % 5) / 10 : 0.1, contains: ok ? 1 : 0, groundedness: 0.75 + (i % 4) / 16 };
    return {
      id: `q${i}`,
      type,
      question: `Question number ${i} about year 1991?`,
      retrieved: [],
      answer: ok ? `Answer ${i} [p${i}]` : 'Not found in the corpus.',
      citations: [],
      abstained: !ok,
      latencyMs: 20 + (i % 7),
      metrics,
    };
  });
}

function makeRun(label: string, split: 'dev' | 'test', records: RunRecord[]): RunFile {
  return {
    version: 1,
    label,
    startedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: '2026-11-01T00:01:00.000Z',
    config: {},
    configHash: label,
    evalsetHash: 'fixture',
    split,
    generator: 'extractive',
    records,
    aggregates: testAggregates(records, stats),
    operational: operationalStats(records),
    stats,
    byType: passRateByType(records.map((r) => ({ type: r.type, passed: passed(r) }))),
  };
}

const baseline = makeRun(
  'hybrid',
  'dev',
  makeRecords((i) => i % 4 !== 0),
);
const testRun = makeRun(
  'hybrid',
  'test',
  makeRecords((i) => i % 3 !== 0),
);
const worse = makeRun(
  'bm25',
  'dev',
  makeRecords((i) => i % 5 === 4),
);
const compareOptions = { metrics: ['hit@5', 'contains', 'ndcg@10'], gate: { metrics: ['hit@5'] }, ...stats };
const board: Leaderboard = {
  createdAt: '2026-11-02T00:00:00.000Z',
  split: 'dev',
  sortBy: 'hit@5',
  baseline: { label: 'baseline', configHash: 'b', runFile: 'runs/x/baseline.json', aggregates: baseline.aggregates },
  rows: [
    { label: 'retriever=bm25', combo: { retriever: 'bm25' }, configHash: 'w', runFile: 'runs/x/bm25.json', aggregates: worse.aggregates, comparison: compareRuns(baseline, worse, compareOptions) },
  ],
  files: { markdown: 'runs/experiments/x/leaderboard.md', json: 'runs/experiments/x/leaderboard.json' },
};
// The iteration log: the template's shipped baseline, then one change of the author's own, measured on dev.
const improved = {
  ...makeRun(
    'hybrid',
    'dev',
    makeRecords(() => true),
  ),
  startedAt: '2026-11-03T00:00:00.000Z',
  gitCommit: 'c'.repeat(40),
  configHash: 'changed',
};
// The named naive baseline, run on the same dev questions: worse on every gated metric.
const naive = {
  ...makeRun(
    'naive',
    'dev',
    makeRecords((i) => i % 4 === 1),
  ),
  configHash: 'naive',
};
const naiveFound = {
  ok: true as const,
  naive: { file: 'runs/20261031-000000-naive.json', value: naive },
  candidate: { file: 'evals/baseline.json', value: baseline },
  result: compareRuns(naive, baseline, compareOptions),
};
const iterationLog = buildIterationLog(
  keptRuns({ file: 'evals/baseline.json', run: { ...baseline, gitCommit: 'f'.repeat(40) }, fromTemplate: true }, [
    { file: 'runs/20261103-000000-hybrid.json', run: improved, subject: 'Answer with two sentences', fromTemplate: false },
  ]),
  { ...compareOptions, gate: { metrics: ['hit@5', 'contains'] } },
);
const iterations = { ...iterationLog, namedBaseline: namedBaselineStep(naiveFound, true) };
const items: EvalItem[] = baseline.records.map((r) => ({ id: r.id, question: r.question, answers: ['x'], gold: [], type: r.type, split: 'dev' }));

const input: SummaryInput = {
  projectName: 'my-rag',
  config: configSchema.parse({}),
  corpus: { file: 'datasets/sotu/corpus.jsonl', value: { passages: 1764, documents: 32 } },
  evalset: { file: 'datasets/sotu/evalset.jsonl', value: evalsetStats(items) },
  baseline: { file: 'evals/baseline.json', value: baseline },
  test: { file: 'runs/20261101-000100-hybrid.json', value: testRun },
  leaderboard: { file: 'runs/experiments/x/leaderboard.json', value: board },
  iterations: { file: ITERATIONS_FILE, value: iterations },
  namedBaseline: naiveFound,
  pitch: { file: PITCH_FILE, value: { pitch: 'A question-answering app over the addresses, with its eval set written first.', nextSteps: '- Write more comparison questions.' } },
};
const files: Record<string, unknown> = {
  'datasets/sotu/corpus.jsonl': input.corpus.value,
  'datasets/sotu/evalset.jsonl': input.evalset.value,
  'evals/baseline.json': baseline,
  'runs/20261101-000100-hybrid.json': testRun,
  'runs/experiments/x/leaderboard.json': board,
  [ITERATIONS_FILE]: iterations,
};

function resolvePath(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

describe('renderSummary', () => {
  const summary = renderSummary(input);

  test('every number it prints resolves to the value at its file and JSON path', () => {
    expect(summary.ledger.entries.length).toBeGreaterThan(50);
    for (const entry of summary.ledger.entries) {
      const actual = resolvePath(files[entry.file], entry.path);
      expect(actual, `${entry.file}#${entry.path.join('.')}`).toBe(entry.value);
      // The printed text is the value rounded to the digits shown, no more.
      const decimals = entry.text.split('.')[1]?.length ?? 0;
      expect(Math.abs(Number(entry.text) - entry.value), entry.text).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
    }
  });

  test('the write-up contains no number that did not come through the ledger', () => {
    const printed = new Set(summary.ledger.entries.map((e) => e.text));
    const prose = summary.markdown
      .replace(/```[\s\S]*?```/g, '') // Mermaid diagram
      .replace(/`[^`]*`/g, '') // ids, commands and file names
      .replace(/“[^”]*”/g, '') // quoted questions and answers from the eval set
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '') // chart links
      .replace(/95%|α|power 0\.8|@\d+|BM25|p50|p95/g, ''); // conventions and names in prose: hit@5, BM25, p95
    const numbers = prose.match(/-?\d+(\.\d+)?/g) ?? [];
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers.filter((n) => !printed.has(n))).toEqual([]);
  });

  test('reports the test split, the baseline, the leaderboard and a claim per significant change with its p-value', () => {
    expect(summary.markdown).toContain('the held-out test split');
    expect(summary.markdown).toContain('`evals/baseline.json`');
    expect(summary.markdown).toContain('## What worked and what did not');
    const regressed = board.rows[0]?.comparison.metrics.filter((m) => m.verdict === 'regressed') ?? [];
    expect(regressed.length).toBeGreaterThan(0);
    for (const m of regressed) expect(summary.markdown).toMatch(new RegExp(`Did not work: \`retriever=bm25\` regressed ${m.metric} by ${m.diff.toFixed(3)}.*Holm p = ${m.pAdjusted.toFixed(4)}`));
  });

  test('renders the same sections as HTML, the architecture and two SVG charts with error bars', () => {
    expect(summary.html).toContain('<h2>Results</h2>');
    expect(summary.html).toContain('<table>');
    expect(summary.charts.map((c) => c.name)).toEqual(['architecture.svg', 'metrics.svg', 'by-type.svg']);
    for (const c of summary.charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(c.svg.match(/<rect /g)?.length).toBeGreaterThan(1);
    }
  });

  test('with no baseline it says what to run instead of writing placeholders', () => {
    const empty = { ...input, baseline: undefined, test: undefined, leaderboard: undefined };
    expect(missingArtefacts(empty).join(' ')).toMatch(/ragfolio eval --save-baseline.*ragfolio experiment/);
    expect(() => renderSummary(empty)).toThrow(/baseline/);
  });
});

describe('prose claims come from evidence or stay placeholders', () => {
  const evidence = {
    evalsetCommit: { commit: 'a'.repeat(40), date: '2026-11-01T00:00:00Z' },
    firstRun: { file: 'evals/baseline.json', commit: 'b'.repeat(40) },
    evalsetBeforeFirstRun: true,
    gateWorkflow: { file: '.github/workflows/eval.yml' },
  };
  // Sentences that state facts about the project's history, CI or design: each must be a claim with evidence.
  const FACT_PHRASES = [/committed .*before the first run/, /regression gate in CI|CI regression gate/, /reciprocal-rank fusion/, /hybrid retrieval/, /dense retrieval/, /BM25 retrieval/];

  /** Every occurrence of a fact phrase lies inside a ledger claim's text. */
  function unclaimedFacts(markdown: string, claims: readonly { text: string }[]): string[] {
    let rest = markdown;
    for (const c of claims) rest = rest.split(c.text).join('');
    return FACT_PHRASES.filter((p) => p.test(rest)).map(String);
  }

  test('with git and CI evidence: claims, each with its evidence, and no placeholder', () => {
    const rrf = configSchema.parse({ retriever: { kind: 'hybrid', fusion: { method: 'rrf' } } });
    const s = renderSummary({ ...input, config: rrf, evidence });
    expect(s.ledger.omitted).toEqual([]);
    expect(s.ledger.claims.map((c) => c.evidence)).toEqual(
      expect.arrayContaining([`git: ${'a'.repeat(40)} is an ancestor of ${'b'.repeat(40)}`, 'file: .github/workflows/eval.yml', 'config: retriever.kind = hybrid, retriever.fusion.method = rrf']),
    );
    for (const c of s.ledger.claims) expect(s.markdown).toContain(c.text);
    expect(unclaimedFacts(s.markdown, s.ledger.claims)).toEqual([]);
    expect(s.markdown).toContain('reciprocal-rank fusion');
  });

  test('without evidence: the sentences are left out (--check and publish list them), with no placeholder text, and no history or CI claim anywhere', () => {
    for (const missing of [{}, { ...evidence, evalsetBeforeFirstRun: false, gateWorkflow: undefined }]) {
      const s = renderSummary({ ...input, evidence: missing });
      expect(s.ledger.omitted.length).toBeGreaterThanOrEqual(3);
      expect(s.markdown).not.toMatch(/TODO|⟨|⟩|\s\.|\.\./);
      expect(unclaimedFacts(s.markdown, s.ledger.claims)).toEqual([]);
      expect(s.markdown).not.toMatch(/committed .*before the first run/);
      expect(s.markdown).not.toMatch(/gate in CI|CI regression gate/);
    }
  });

  test('retrieval words follow the config', () => {
    const bm25 = configSchema.parse({ retriever: { kind: 'bm25' } });
    const s = renderSummary({ ...input, config: bm25, evidence });
    const design = s.markdown.split('\n').filter((line) => /^(`my-rag` is a|- Built)/.test(line));
    expect(design).toHaveLength(2);
    for (const line of design) {
      expect(line).toContain('BM25 retrieval');
      expect(line).not.toMatch(/fusion|hybrid|dense|embeddings/);
    }
    const convex = configSchema.parse({ retriever: { kind: 'hybrid', fusion: { method: 'convex', normalization: 'minmax' } } });
    expect(renderSummary({ ...input, config: convex, evidence }).markdown).toContain('a convex combination of min-max normalised scores');
  });

  test('headline numbers name their split; a dev-only write-up says its number is tuned', () => {
    const withTest = renderSummary({ ...input, evidence });
    expect(withTest.markdown).toMatch(/On the held-out test split the system reaches hit@5 = /);
    expect(withTest.markdown).toMatch(/- Measured hit@5 .* on the held-out test split,/);
    const devOnly = renderSummary({ ...input, test: undefined, evidence });
    expect(devOnly.markdown).toMatch(/On the dev split the system reaches .*tuned on.*no test-split run yet/);
    expect(devOnly.markdown).toMatch(/- Measured hit@5 .* on the dev split \(tuned on it; no test-split run yet\)/);
    expect(devOnly.markdown).not.toContain('held-out test split');
  });

  test("the iteration log: the template's starting point labelled as such, then each change with paired deltas on the gated metrics", () => {
    const s = renderSummary({ ...input, evidence });
    const table = s.markdown.split('## Iteration log')[1]?.split('\n## ')[0] ?? '';
    const rows = table.split('\n').filter((line) => /^\| `/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`| ${TEMPLATE_CHANGE} |`);
    expect(rows[1]).toContain('| `ccccccc` | Answer with two sentences |');
    const delta = iterations.steps[1]?.vsPrevious?.[0];
    expect(delta?.metric).toBe('hit@5');
    expect(rows[1]).toContain(`(+${delta?.diff.toFixed(3)} [${delta?.ci95[0].toFixed(3)}, ${delta?.ci95[1].toFixed(3)}]`);
    expect(s.markdown).toContain('It started from the ragfolio template (`ragfolio new`)');
  });

  test('the story: the largest significant improvement, and the most honest weakness, each with its number', () => {
    const s = renderSummary({ ...input, evidence });
    const story = s.markdown.split('## The story in numbers')[1]?.split('\n## ')[0] ?? '';
    const improvements = [...iterations.steps.flatMap((st) => st.vsPrevious ?? []), ...board.rows.flatMap((r) => r.comparison.metrics)].filter((m) => m.verdict === 'improved');
    const largest = improvements.sort((a, b) => b.diff - a.diff)[0];
    expect(largest).toBeDefined();
    expect(story).toMatch(new RegExp(`What worked best:.* ${largest?.metric} by \\+${largest?.diff.toFixed(3)}`));
    expect(story).toMatch(/What did not hold up:|Where the evidence is thin:/);
  });

  test('HTML comes from markdown-it: tables, code blocks and escaped user text', () => {
    const s = renderSummary({ ...input, projectName: 'a <b> project', evidence });
    expect(s.html).toContain('<title>a &lt;b&gt; project</title>');
    // The architecture is an SVG image drawn at build time: no diagram script, no raw diagram source.
    expect(s.html).toContain('<img src="charts/architecture.svg"');
    expect(s.html).not.toContain('mermaid');
    expect(s.html).toMatch(/<table>\s*<thead>/);
  });
});

describe("the author's own words (docs/PITCH.md)", () => {
  test('written: the pitch opens the Pitch section and the next steps come before the suggested ones, each a claim citing the file', () => {
    const s = renderSummary({ ...input, evidence: {} });
    const pitch = s.markdown.split('## Pitch\n\n')[1]?.split('\n## ')[0] ?? '';
    expect(pitch.startsWith(`${input.pitch?.value.pitch}\n\n\`my-rag\` is a`)).toBe(true);
    const next = s.markdown.split('## Next steps\n\n')[1]?.split('\n## ')[0] ?? '';
    expect(next.startsWith(`${input.pitch?.value.nextSteps}\n\nWhat the evidence suggests besides:\n\n- `)).toBe(true);
    expect(s.ledger.claims.filter((c) => c.evidence.startsWith(`file: ${PITCH_FILE}`)).map((c) => c.text)).toEqual([input.pitch?.value.pitch, input.pitch?.value.nextSteps]);
    expect(s.ledger.omitted.join('\n')).not.toContain(PITCH_FILE);
  });

  test('unwritten (placeholders still there, or no file): left out and listed, no placeholder text printed', () => {
    for (const pitch of [{ file: PITCH_FILE, value: {} }, undefined]) {
      const s = renderSummary({ ...input, pitch });
      const mine = s.ledger.omitted.filter((o) => o.includes(PITCH_FILE));
      expect(mine).toHaveLength(2);
      expect(mine.join('\n')).toMatch(pitch ? /still holds its placeholder/ : /there is no docs\/PITCH.md/);
      expect(s.markdown).not.toContain('✎');
      for (const section of Object.values(PITCH_SECTIONS)) expect(s.markdown).not.toContain(section.placeholder.slice(0, 40));
      // The sections stay, with what the evidence gives: the generated description and the suggested steps.
      expect(s.markdown).toMatch(/## Pitch\n\n`my-rag` is a/);
      expect(s.markdown).toMatch(/## Next steps\n\n- /);
    }
  });
});

describe('from the named naive baseline to the default', () => {
  test('the story and the section: the largest gated improvement and every compared metric, paired, with CIs, from docs/iterations.json', () => {
    const s = renderSummary({ ...input, evidence: {} });
    const step = iterations.namedBaseline;
    const gated = step.metrics.filter((m) => iterationLog.metrics.includes(m.metric) && m.verdict === 'improved').sort((a, b) => b.diff - a.diff)[0];
    expect(gated, JSON.stringify(step.metrics.map((m) => [m.metric, m.diff, m.verdict]))).toBeDefined();
    const f = (x: number | undefined) => x?.toFixed(3);
    expect(s.markdown).toContain(
      `**From the naive first version:** from \`configs/naive.json\` to the project's configuration, ${gated?.metric} went from ${f(gated?.baseline)} to ${f(gated?.candidate)}, +${f(gated?.diff)} (95% CI [${f(gated?.ci95[0])}, ${f(gated?.ci95[1])}], paired on ${gated?.n} questions of the dev split). Both came with the ragfolio template`,
    );
    const section = s.markdown.split('## From the naive first version\n\n')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('`ragfolio compare runs/20261031-000000-naive.json evals/baseline.json`');
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| metric') && !line.startsWith('| ---'));
    expect(rows.map((r) => r.split(' | ')[0]?.slice(2))).toEqual(step.metrics.map((m) => m.metric));
    for (const [i, m] of step.metrics.entries())
      expect(rows[i]).toContain(`| ${m.n} | ${f(m.baseline)} | ${f(m.candidate)} | ${m.diff < 0 ? '' : '+'}${f(m.diff)} [${f(m.ci95[0])}, ${f(m.ci95[1])}] | ${m.test} |`);
    // Every one of those numbers cites the iteration log's copy of the comparison.
    expect(s.ledger.entries.filter((e) => e.path[0] === 'namedBaseline').every((e) => e.file === ITERATIONS_FILE)).toBe(true);
  });

  test('without a run of it: the section says the command that makes one, and the story does not start from it', () => {
    const missing = 'No run of the named baseline (configs/naive.json) on the dev split of this eval set. Run `npx ragfolio eval --split dev --config configs/naive.json --label naive`.';
    const s = renderSummary({ ...input, iterations: { file: ITERATIONS_FILE, value: iterationLog }, namedBaseline: { ok: false, missing } });
    expect(s.markdown).toContain(`## From the naive first version\n\n${missing}\n`);
    expect(s.markdown).not.toContain('**From the naive first version:**');
  });
});

describe('what worked: a conditional metric that rose while the configuration answered fewer', () => {
  // The candidate cites better on the questions it answers (0.5 → 1) but abstains on a third of them.
  const withCitations = (abstainEvery: number | undefined, precision: number) =>
    makeRecords((i) => i % 4 !== 0).map((r, i) => {
      if (r.abstained || r.type === 'unanswerable') return r;
      if (abstainEvery !== undefined && i % abstainEvery === 0) return { ...r, abstained: true, answer: 'Not found in the corpus.' };
      return { ...r, metrics: { ...r.metrics, citation_precision: precision } };
    });
  const cited = makeRun('cited', 'dev', withCitations(undefined, 0.5));
  const choosy = makeRun('choosy', 'dev', withCitations(3, 1));
  const comparison = compareRuns(cited, choosy, { metrics: ['citation_precision'], gate: { metrics: ['hit@5'] }, ...stats });
  const value = { ...board, rows: [{ ...(board.rows[0] as Leaderboard['rows'][number]), label: 'minScore=0.9', comparison }] };

  test('is reported as a trade with the answered rates, not as a win', () => {
    expect(comparison.metrics[0]?.verdict).toBe('improved');
    expect(comparison.answered.ci[1]).toBeLessThan(0);
    const md = renderSummary({ ...input, leaderboard: { file: 'runs/experiments/x/leaderboard.json', value } }).markdown;
    expect(md).toMatch(/Traded: `minScore=0.9` improved citation_precision .*answered fewer .*a trade, not a win/);
    expect(md).not.toMatch(/Worked: `minScore=0.9`/);
  });
});

describe('the abstention threshold in the write-up', () => {
  test('a calibrated threshold: its guarantee beside what the test split observed, every number from the run file', () => {
    const riskCoverage = {
      threshold: 0.5,
      operating: { threshold: 0.5, coverage: 0.6, risk: 0.2, answered: 6 },
      aurc: 0.15,
      n: 10,
      points: [{ threshold: 0.5, coverage: 0.6, risk: 0.2, answered: 6 }],
    };
    const abstention = {
      minScore: 0.5007,
      source: 'conformal' as const,
      reason: 'conformal: …',
      target: 0.25,
      bound: 0.25,
      n: 55,
      rank: 42,
      unanswerableAnswered: { k: 23, n: 55, p: 23 / 55, lo: 0.297, hi: 0.55 },
      predicted95: { lo: 6, hi: 23, mean: 13.75 },
    };
    const test = { ...testRun, riskCoverage, abstention };
    const s = renderSummary({ ...input, test: { file: 'runs/20261101-000100-hybrid.json', value: test } });
    expect(s.markdown).toContain(
      'The threshold was chosen by split-conformal calibration on the dev split, for a target of at most 0.25 of unanswerable questions answered: for a new question exchangeable with the calibration set, P(answered) ≤ 0.250. On the held-out test split it answered 23 of 55 unanswerable questions (0.418, Wilson 95% [0.297, 0.550]). For this many questions the calibration predicts 6 to 23 answered (central 95%).',
    );
    const at: Record<string, unknown> = { ...files, 'runs/20261101-000100-hybrid.json': test };
    for (const entry of s.ledger.entries.filter((e) => e.path[0] === 'abstention')) expect(resolvePath(at[entry.file], entry.path), entry.path.join('.')).toBe(entry.value);
  });
});

test('keptRuns: one row per commit and config, the template counted as one commit; other splits, eval sets and gate re-runs left out', () => {
  const at = (startedAt: string, extra: Partial<RunFile> = {}) => ({ ...baseline, startedAt, ...extra });
  const shipped = { file: 'evals/baseline.json', run: at('2026-11-01T00:00:00Z', { gitCommit: 'k'.repeat(40) }), fromTemplate: true };
  const kept = keptRuns(shipped, [
    // The same config re-run at the commit `ragfolio new` made: the same system as the shipped baseline.
    { file: 'runs/a.json', run: at('2026-11-02T00:00:00Z', { gitCommit: 'n'.repeat(40) }), fromTemplate: true },
    { file: 'runs/b.json', run: at('2026-11-03T00:00:00Z', { gitCommit: 'u'.repeat(40), configHash: 'mine' }), fromTemplate: false },
    { file: 'runs/c.json', run: at('2026-11-04T00:00:00Z', { gitCommit: 'u'.repeat(40), configHash: 'mine' }), fromTemplate: false },
    { file: 'runs/test.json', run: at('2026-11-05T00:00:00Z', { split: 'test' }), fromTemplate: false },
    { file: 'runs/other.json', run: at('2026-11-05T00:00:00Z', { evalsetHash: 'another' }), fromTemplate: false },
    { file: 'runs/gate.json', run: at('2026-11-06T00:00:00Z', { label: 'regression-gate', configHash: 'gate' }), fromTemplate: false },
  ]);
  expect(kept.map((k) => k.file)).toEqual(['runs/a.json', 'runs/c.json']);
});
