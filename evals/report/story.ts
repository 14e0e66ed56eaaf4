// The narrative sections (pitch, architecture, next steps, resume bullets, interview answers). Every factual
// sentence is a ledger claim with its evidence or a placeholder; every number goes through the ledger.
import { metricCell, type SummaryContext, splitWords } from './context.ts';
import { evalsetFirstClaim, gateClaim, retrievalWords } from './facts.ts';

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

export function pitchSection(c: SummaryContext): string[] {
  const { L, input } = c;
  const cfg = input.config;
  const types = Object.keys(input.evalset.value.byType);
  const splits = Object.keys(input.evalset.value.bySplit);
  const evidence = input.evidence ?? {};
  return [
    '## Pitch',
    '',
    `I built a retrieval-augmented QA app over ${L.count(input.corpus.value.passages, input.corpus.file, ['passages'])} passages of ${L.count(input.corpus.value.documents, input.corpus.file, ['documents'])} documents (\`${cfg.dataset}\`), ` +
      `with ${retrievalWords(L, cfg)}${cfg.retriever.kind === 'bm25' ? '' : ` over ${embeddingWords(c)}`}, and ${generatorWords(c)}. ` +
      `${evalsetFirstClaim(L, input.evalset.file, evidence)} ` +
      `It holds ${L.count(input.evalset.value.total, input.evalset.file, ['total'])} questions of ${types.length} types` +
      (splits.includes('dev') && splits.includes('test') ? ', split into dev for tuning and test for reporting. ' : '. ') +
      `${headline(c)} ${gateClaim(L, c.baseline.file, evidence)}`,
    '',
  ];
}

export function architectureSection(c: SummaryContext): string[] {
  const cfg = c.input.config;
  const kind = cfg.retriever.kind;
  const store = (cfg as { store?: { kind: string } }).store?.kind ?? 'hnswlib';
  return [
    '## Architecture',
    '',
    '```mermaid',
    'flowchart LR',
    `  Q[question] --> R{${kind} retriever}`,
    '  C[(corpus.jsonl)] --> K[chunker]',
    ...(kind === 'bm25' ? [] : [`  K --> E[embeddings + cache] --> H[(${store} index)]`, '  H --> R']),
    ...(kind === 'dense' ? [] : ['  K --> B[(BM25)]', '  B --> R']),
    `  R --> A[${cfg.generator.provider} answerer] --> O[answer + citations]`,
    '  O --> V[eval: metrics, bootstrap CIs, paired tests]',
    '```',
    '',
  ];
}

export function nextStepsSection(c: SummaryContext): string[] {
  const md = ['## Next steps', ''];
  if (c.worst) md.push(`- The weakest question type is **${c.worst[0]}**: read its failures above and extend the eval set with more of them before changing the pipeline.`);
  if (!c.input.test) md.push('- Report on the test split: `ragfolio eval --split test`, then regenerate this summary.');
  if (!c.board) md.push('- Run an experiment sweep: `ragfolio experiment --grid k=3,5,10 retriever=dense,bm25,hybrid`.');
  if (c.input.config.generator.provider === 'extractive')
    md.push('- Try a chat model (set `OPENAI_BASE_URL` to a local server, `generator.provider: "openai"`) and compare it with `ragfolio compare`: the gate tells you whether it is really worse.');
  md.push('');
  return md;
}

export function resumeSection(c: SummaryContext): string[] {
  const { L, input, report, primary } = c;
  const evidence = input.evidence ?? {};
  const committedFirst =
    evidence.evalsetCommit && evidence.firstRun && evidence.evalsetBeforeFirstRun
      ? L.claim('committed before the first run', `git: ${evidence.evalsetCommit.commit} is an ancestor of ${evidence.firstRun.commit}`)
      : L.placeholder('when the eval set was written relative to tuning (no git evidence)');
  const split = report.value.split === 'test' ? splitWords('test') : `${splitWords(report.value.split)} (tuned on it; no test-split run yet)`;
  return [
    '## Resume bullets',
    '',
    `- Built a RAG app in TypeScript with ${retrievalWords(L, input.config)} over ${L.count(input.corpus.value.passages, input.corpus.file, ['passages'])} passages, and an eval set of ${L.count(input.evalset.value.total, input.evalset.file, ['total'])} questions ${committedFirst}.`,
    `- Measured ${primary} ${metricCell(c, report, primary)} on ${split}, reporting every metric with bootstrap CIs and the minimum detectable effect.`,
    evidence.gateWorkflow
      ? `- ${L.claim('Added a CI regression gate: one-sided paired tests of the gated metrics with Holm correction fail the build on a significant drop.', `file: ${evidence.gateWorkflow.file}`)}`
      : `- ${L.placeholder('a CI bullet needs a workflow that runs the regression gate')}`,
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
