// The narrative sections (pitch, architecture, next steps, resume bullets, interview answers). Every factual
// sentence is a ledger claim with its evidence or left out; every number goes through the ledger.
import { metricSpec } from '../metrics/registry.ts';
import { metricCell, resultColumns, type SummaryContext, splitWords } from './context.ts';
import { evalsetFirstClaim, gateClaim, retrievalWords } from './facts.ts';
import { PITCH_FILE, PITCH_SECTIONS, type PitchSection } from './pitch.ts';

/** The headline number, naming its split; a dev number is a tuned number and says so. */
function headline(c: SummaryContext): string {
  const { L, report, primary } = c;
  const r = report.value;
  const n = L.count(r.aggregates[primary]?.n ?? 0, report.file, ['aggregates', primary, 'n']);
  const value = `${primary} = ${metricCell(c, report, primary)} (95% bootstrap CI, n = ${n})`;
  if (r.split === 'test') return `On the held-out test split the system reaches ${value}.`;
  return `On ${splitWords(r.split)} the system reaches ${value}. That split is the one the settings were tuned on, so it is an optimistic number: there is no test-split run yet.`;
}

function generatorWords(c: SummaryContext): string {
  const g = c.input.config.generator;
  return g.provider === 'extractive' ? 'an extractive answerer that quotes and cites the best-supported sentences' : `${g.model} answering from the retrieved passages with citations`;
}

function embeddingWords(c: SummaryContext): string {
  const e = c.input.config.embeddings;
  return e.provider === 'local' ? 'local Universal Sentence Encoder (lite) embeddings' : `OpenAI ${e.model} embeddings`;
}

/**
 * A section of docs/PITCH.md in the author's words, or nothing: an unwritten one is left out and listed (by
 * `summary`, `summary --check` and `publish`), never printed as a placeholder.
 */
function authorsWords(c: SummaryContext, section: PitchSection): string[] {
  const { L, input } = c;
  const text = input.pitch?.value[section];
  const heading = `"## ${PITCH_SECTIONS[section].heading}"`;
  if (text === undefined) {
    L.omit(
      input.pitch
        ? `your ${heading} section: ${PITCH_FILE} still holds its placeholder; write it in your own words, then run summary again`
        : `your ${heading} section: there is no ${PITCH_FILE}; create it with a ${heading} section in your own words, then run summary again`,
    );
    return [];
  }
  return [L.claim(text, `file: ${PITCH_FILE}, section ${heading}, in the author's own words`), ''];
}

export function pitchSection(c: SummaryContext): string[] {
  const { L, input } = c;
  const cfg = input.config;
  const types = Object.keys(input.evalset.value.byType);
  const splits = Object.keys(input.evalset.value.bySplit);
  const evidence = input.evidence ?? {};
  return [
    '## Pitch',
    '',
    ...authorsWords(c, 'pitch'),
    [
      `\`${input.projectName}\` is a retrieval-augmented QA app over ${L.count(input.corpus.value.passages, input.corpus.file, ['passages'])} passages of ${L.count(input.corpus.value.documents, input.corpus.file, ['documents'])} documents (\`${cfg.dataset}\`), ` +
        `with ${retrievalWords(L, cfg)}${cfg.retriever.kind === 'bm25' ? '' : ` over ${embeddingWords(c)}`}, and ${generatorWords(c)}.`,
      templateClaim(c),
      evalsetFirstClaim(L, input.evalset.file, evidence),
      `Its eval set holds ${L.count(input.evalset.value.total, input.evalset.file, ['total'])} questions of ${types.length} types${splits.includes('dev') && splits.includes('test') ? ', split into dev for tuning and test for reporting' : ''}.`,
      headline(c),
      gateClaim(L, c.baseline.file, evidence),
    ]
      .filter(Boolean)
      .join(' '),
    '',
  ];
}

/** What the template gave, said as such: the iteration log's first step, when it ran on the template's code. */
function templateClaim(c: SummaryContext): string {
  const first = c.input.iterations?.value.steps[0];
  if (!first?.fromTemplate) return '';
  return c.L.claim(
    `It started from the ragfolio template (\`ragfolio new\`): the first row of the iteration log below is what the template gave, and each later row is a measured change.`,
    `file: ${c.input.iterations?.file}, steps[0] (${first.run}, commit ${first.commit?.slice(0, 7) ?? 'unrecorded'}) is not a change of this project's own`,
  );
}

const signed = (text: string) => (text.startsWith('-') ? text : `+${text}`);

/** The largest significant improvement on record: a step of the iteration log, or a row of the latest sweep. */
function largestImprovement(c: SummaryContext): string | undefined {
  const { L, input } = c;
  const candidates: { size: number; say: () => string }[] = [];
  const log = input.iterations;
  for (const [i, step] of (log?.value.steps ?? []).entries()) {
    for (const [j, d] of (step.vsPrevious ?? []).entries()) {
      if (!log || d.verdict !== 'improved') continue;
      const p = ['steps', i, 'vsPrevious', j];
      candidates.push({
        size: Math.abs(d.diff),
        say: () =>
          `**What worked best:** “${step.change}” (\`${step.run}\`) changed ${d.metric} by ${signed(L.num(d.diff, log.file, [...p, 'diff']))} (95% CI ${L.ci(d.ci95, log.file, [...p, 'ci95'])}, paired, against the run before it).`,
      });
    }
  }
  const board = c.board;
  for (const [i, row] of (board?.value.rows ?? []).entries()) {
    for (const [j, m] of row.comparison.metrics.entries()) {
      if (!board || m.verdict !== 'improved') continue;
      const p = ['rows', i, 'comparison', 'metrics', j];
      candidates.push({
        size: Math.abs(m.diff),
        say: () =>
          `**What worked best:** \`${row.label}\` changed ${m.metric} by ${signed(L.num(m.diff, board.file, [...p, 'diff']))} (95% CI ${L.ci(m.ci95, board.file, [...p, 'ci95'])}, Holm p = ${L.num(m.pAdjusted, board.file, [...p, 'pAdjusted'], 4)}) on ${splitWords(board.value.split)} against the sweep's first configuration; not yet confirmed on the test split.`,
      });
    }
  }
  return candidates.sort((a, b) => b.size - a.size)[0]?.say();
}

/**
 * The most honest weakness: the largest drop from the tuned dev split to the held-out test split (same
 * configuration), or else the metric measured on the fewest questions, with its minimum detectable effect.
 */
function honestWeakness(c: SummaryContext): string | undefined {
  const { L, input } = c;
  const test = input.test;
  const [dev] = resultColumns(c);
  if (test && dev && dev.value.split === 'dev' && dev.value.configHash === test.value.configHash) {
    const drops = c.shown.flatMap((m) => {
      const a = dev.value.aggregates[m];
      const b = test.value.aggregates[m];
      if (!a || !b) return [];
      const worse = metricSpec(m).higherIsBetter ? a.mean - b.mean : b.mean - a.mean;
      // Worth saying only when the intervals do not overlap: otherwise the two splits agree within noise.
      const separated = metricSpec(m).higherIsBetter ? b.ci95[1] < a.ci95[0] : b.ci95[0] > a.ci95[1];
      return worse > 0 && separated ? [{ m, worse }] : [];
    });
    const top = drops.sort((x, y) => y.worse - x.worse)[0];
    if (top) {
      const n = (run: typeof dev) => L.count(run.value.aggregates[top.m]?.n ?? 0, run.file, ['aggregates', top.m, 'n']);
      return `**What did not hold up:** ${top.m} was ${metricCell(c, dev, top.m)} on the dev split the settings were tuned on (n = ${n(dev)}) but ${metricCell(c, test, top.m)} on the held-out test split (n = ${n(test)}): the tuning fitted dev's questions better than new ones.`;
    }
  }
  const report = c.report;
  const thin = c.shown
    .map((m) => ({ m, a: report.value.aggregates[m] }))
    .filter((x): x is { m: string; a: NonNullable<typeof x.a> } => x.a?.mde !== undefined && x.a.mde !== null)
    .sort((x, y) => (y.a.mde ?? 0) - (x.a.mde ?? 0))[0];
  if (!thin || thin.a.mde === null) return undefined;
  return `**Where the evidence is thin:** ${thin.m} rests on n = ${L.count(thin.a.n, report.file, ['aggregates', thin.m, 'n'])} questions of ${splitWords(report.value.split)}; a paired comparison detects only changes of about ±${L.num(thin.a.mde, report.file, ['aggregates', thin.m, 'mde'])} or more, so smaller effects on it are unmeasured, not absent.`;
}

/**
 * Where the project started: the named naive baseline → the project's configuration, on the metric that moved
 * most (significantly), or that nothing moved; said as the template's work when both came with it.
 */
function fromFirstVersion(c: SummaryContext): string | undefined {
  const log = c.input.iterations;
  const step = log?.value.namedBaseline;
  if (!log || !step) return undefined;
  const { L } = c;
  // The gated metrics first (the ones the project is judged on), then any other that moved.
  const improved = step.metrics.map((m, i) => ({ m, i })).filter(({ m }) => m.verdict === 'improved' && !m.constant);
  const gated = improved.filter(({ m }) => log.value.metrics.includes(m.metric));
  const top = (gated.length > 0 ? gated : improved).sort((a, b) => Math.abs(b.m.diff) - Math.abs(a.m.diff))[0];
  const whose = step.candidateFromTemplate
    ? ` ${L.claim("Both came with the ragfolio template: this is where the project started, not the author's change.", `file: ${log.file}, namedBaseline.candidateFromTemplate`)}`
    : '';
  if (!top)
    return `**From the naive first version:** no compared metric changed significantly from \`${step.config}\` to the project's configuration: on these questions it is not measurably better than the first version.${whose}`;
  const p = ['namedBaseline', 'metrics', top.i];
  return `**From the naive first version:** from \`${step.config}\` to the project's configuration, ${top.m.metric} went from ${L.num(top.m.baseline, log.file, [...p, 'baseline'])} to ${L.num(top.m.candidate, log.file, [...p, 'candidate'])}, ${signed(L.num(top.m.diff, log.file, [...p, 'diff']))} (95% CI ${L.ci(top.m.ci95, log.file, [...p, 'ci95'])}, paired on ${L.count(top.m.n, log.file, [...p, 'n'])} questions of ${splitWords(step.split)}).${whose}`;
}

/** The story, chosen from the evidence: where it started, the largest significant improvement and the most honest weakness. */
export function storySection(c: SummaryContext): string[] {
  const lines = [fromFirstVersion(c), largestImprovement(c), honestWeakness(c)].filter((s): s is string => s !== undefined);
  if (lines.length === 0) return [];
  return ['## The story in numbers', '', ...lines.flatMap((l) => [l, ''])];
}

/** Drawn from the config (evals/report/architecture-chart.ts) as an SVG, which GitHub and the site both show. */
export function architectureSection(): string[] {
  return ['## Architecture', '', '![the pipeline: corpus, chunker, indexes, retriever, answerer, eval](charts/architecture.svg)', ''];
}

/** The author's next steps when written, then those the evidence suggests (the suggestions alone otherwise). */
export function nextStepsSection(c: SummaryContext): string[] {
  const own = authorsWords(c, 'nextSteps');
  const suggested: string[] = [];
  if (c.worst) suggested.push(`- The weakest question type is **${c.worst[0]}**: read its failures above and extend the eval set with more of them before changing the pipeline.`);
  if (!c.input.test) suggested.push('- Report on the test split: `ragfolio eval --split test`, then regenerate this summary.');
  if (!c.board) suggested.push('- Run an experiment sweep: `ragfolio experiment --grid k=3,5,10 retriever=dense,bm25,hybrid`.');
  if (c.input.config.generator.provider === 'extractive')
    suggested.push(
      '- Try a chat model (set `OPENAI_BASE_URL` to a local server, `generator.provider: "openai"`) and compare it with `ragfolio compare`: the gate tells you whether it is really worse.',
    );
  const besides = own.length > 0 && suggested.length > 0 ? ['What the evidence suggests besides:', ''] : [];
  return ['## Next steps', '', ...own, ...besides, ...suggested, ''];
}

export function resumeSection(c: SummaryContext): string[] {
  const { L, input, report, primary } = c;
  const evidence = input.evidence ?? {};
  const committedFirst =
    evidence.evalsetCommit && evidence.firstRun && evidence.evalsetBeforeFirstRun
      ? L.claim('committed before the first run', `git: ${evidence.evalsetCommit.commit} is an ancestor of ${evidence.firstRun.commit}`)
      : L.omit('when the eval set was written relative to tuning (no git evidence)');
  const split = report.value.split === 'test' ? splitWords('test') : `${splitWords(report.value.split)} (tuned on it; no test-split run yet)`;
  const ciBullet = evidence.gateWorkflow
    ? `- ${L.claim('Added a CI regression gate: one-sided paired tests of the gated metrics with Holm correction fail the build on a significant drop.', `file: ${evidence.gateWorkflow.file}`)}`
    : L.omit('a CI bullet needs a workflow that runs the regression gate');
  return [
    '## Resume bullets',
    '',
    `- Built a RAG app in TypeScript with ${retrievalWords(L, input.config)} over ${L.count(input.corpus.value.passages, input.corpus.file, ['passages'])} passages, and an eval set of ${L.count(input.evalset.value.total, input.evalset.file, ['total'])} questions${committedFirst ? ` ${committedFirst}` : ''}.`,
    `- Measured ${primary} ${metricCell(c, report, primary)} on ${split}, reporting every metric with bootstrap CIs and the minimum detectable effect.`,
    ...(ciBullet ? [ciBullet] : []),
    '',
  ];
}

export function interviewSection(c: SummaryContext): string[] {
  const { L, report, worst } = c;
  const r = report.value;
  const md = [
    '## Likely interview questions',
    '',
    `**Why build the eval set first?** Without it every change is anecdote. With ${L.count(r.records.length, report.file, ['records', 'length'])} questions (${splitWords(r.split)}) I can say which differences are real: anything under the MDE above is not.`,
    '',
    `**How do you know a change helped?** I compare runs question by question: a paired bootstrap CI of the difference, McNemar for pass/fail metrics, a permutation test otherwise, Holm across the metrics compared; the gate tests each gated metric one-sided against a non-inferiority margin.`,
    '',
  ];
  if (worst)
    md.push(
      `**Where does it fail?** ${worst[0]} questions: ${L.count(worst[1].passed, report.file, ['byType', worst[0], 'passed'])} of ${L.count(worst[1].n, report.file, ['byType', worst[0], 'n'])} pass. The failure list above shows why.`,
      '',
    );
  return md;
}
