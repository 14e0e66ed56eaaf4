/**
 * npm run bench [-- --only ingest,eval]
 * Every figure is a pair or ratio measured side by side in this one run (these machines are shared and noisy).
 * Writes bench/results/latest.json and latest.md.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { findProjectRoot, loadProjectConfig } from '../starter/config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../starter/fs-atomic.ts';
import { machineInfo } from './machine.ts';
import { benchEvalThroughput } from './sections/eval-throughput.ts';
import { benchIngest } from './sections/ingest.ts';
import { fmt, markdownTable } from '../evals/report/table.ts';

const SECTIONS = ['ingest', 'eval'] as const;
type Section = (typeof SECTIONS)[number];

const options = new Command().option('--only <sections>', `comma-separated: ${SECTIONS.join(',')}`, SECTIONS.join(',')).option('--cases <n>', 'eval throughput cases', '200').parse().opts<{ only: string; cases: string }>();
const only = new Set(options.only.split(',') as Section[]);
const project = await loadProjectConfig(findProjectRoot(process.cwd()));
const results: Record<string, unknown> = { machine: machineInfo(), startedAt: new Date().toISOString() };
const md: string[] = [`# Benchmarks (${results.startedAt})`, '', `Machine: ${JSON.stringify(results.machine)}`, ''];

if (only.has('ingest')) {
  process.stderr.write('ingest: cold, warm, ask latency…\n');
  const r = await benchIngest(project);
  results.ingest = r;
  md.push(
    '## Ingest and query (bundled dataset)',
    '',
    markdownTable({
      header: ['measure', 'value'],
      rows: [
        ['passages', String(r.passages)],
        ['cold ingest (empty embedding cache)', `${fmt(r.coldSeconds, 1)} s · ${fmt(r.coldPassagesPerSecond, 1)} passages/s`],
        ['warm re-ingest (cache full, index rebuilt)', `${fmt(r.warmSeconds, 2)} s (${fmt(r.warmOverCold * 100, 1)}% of cold)`],
        ['ingest when up to date', `${fmt(r.upToDateSeconds, 2)} s`],
        [`ask, offline, after warm-up (${r.askQueries} eval questions)`, `p50 ${fmt(r.askP50Ms, 1)} ms · p95 ${fmt(r.askP95Ms, 1)} ms`],
      ],
    }),
    '',
  );
}

if (only.has('eval')) {
  process.stderr.write('eval throughput: ours vs promptfoo…\n');
  const r = await benchEvalThroughput(project, Number(options.cases));
  results.evalThroughput = r;
  md.push(
    `## Eval throughput: \`ragfolio eval\` vs \`promptfoo eval\` (${r.cases} cases, same pipeline, concurrency 1)`,
    '',
    markdownTable({
      header: ['harness', 'questions/s', 'eval time', 'process wall time', 'peak RSS'],
      rows: [r.ours, r.promptfoo].map((x) => [x.harness, fmt(x.questionsPerSecond, 1), `${fmt(x.evalMs / 1000, 2)} s`, `${fmt(x.wallMs / 1000, 2)} s`, `${fmt(x.maxRssMB, 0)} MB`]),
    }),
    '',
    `ours is **${fmt(r.speedup, 1)}×** faster on eval time (${fmt(r.wallSpeedup, 1)}× on process wall time) and uses ${fmt(1 / r.memoryRatio, 2)}× promptfoo's peak memory.`,
    '',
  );
}

const dir = join(project.root, 'bench', 'results');
await writeJsonAtomic(join(dir, 'latest.json'), results);
await writeFileAtomic(join(dir, 'latest.md'), `${md.join('\n')}\n`);
process.stdout.write(`${md.join('\n')}\n${join(dir, 'latest.md')}\n`);
