import type { Command } from 'commander';
import { type IngestReport, ingest } from '../../starter/ingest.ts';
import { color, printJson, startProgress } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

export function describeIngest(r: IngestReport): string {
  if (r.upToDate) return `index up to date: ${r.chunks} chunks from ${r.passages} passages (${r.indexDir}); use --force to rebuild`;
  const rate = r.embedRate === undefined ? 'nothing to embed' : `${r.cacheMisses} embedded at ${r.embedRate.toFixed(1)} passages/s`;
  const shipped = r.shippedHits > 0 ? ` (${r.shippedHits} from the dataset's shipped vectors)` : '';
  return `indexed ${r.chunks} chunks from ${r.passages} passages in ${r.seconds.toFixed(1)} s · ${rate} · ${r.cacheHits} cache hits${shipped} → ${r.indexDir}`;
}

export async function runIngest(command: Command, options: { force?: boolean; json?: boolean }): Promise<IngestReport> {
  const project = await openProject(command);
  const progress = startProgress('embedding');
  let report: IngestReport;
  try {
    report = await ingest(project, { force: options.force, onProgress: (p) => progress.update(p.embedded, p.toEmbed) });
  } finally {
    progress.stop();
  }
  if (options.json) printJson(report);
  else process.stderr.write(`${color.green('✔')} ${describeIngest(report)}\n`);
  if (report.shippedIgnored) process.stderr.write(`${color.yellow('!')} shipped vectors not used: ${report.shippedIgnored}. Rebuild them with \`npm run build:embeddings\`, or delete them.\n`);
  return report;
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .option('--force', 'rebuild even when the index is up to date')
    .option('--json', 'print the report as JSON')
    .action(async (options: { force?: boolean; json?: boolean }, command: Command) => {
      await runIngest(command, options);
    });
}
