import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/cli/build-cli.mjs';
import { loadProjectConfig } from '../starter/config.ts';
import { ingest } from '../starter/ingest.ts';

/**
 * Build the CLI once (tests run it as a user does, through bin/ragfolio.js, and files running in parallel must
 * not each rebuild it), and index the bundled dataset once before any test file runs, so files running in
 * parallel do not all embed it cold (about 90 s on 2 cores the first time; the embedding cache makes later runs instant).
 */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await buildCli(root);
  const started = performance.now();
  const project = await loadProjectConfig(root);
  if (project.config.embeddings.provider === 'openai' && !process.env.OPENAI_API_KEY && !process.env.OPENAI_BASE_URL) {
    // Offline by default: tests that need this project's own index will say so; every other test still runs.
    console.log('global setup: embeddings.provider is "openai" and no OPENAI_API_KEY/OPENAI_BASE_URL is set, so the dataset is not indexed');
    return;
  }
  const report = await ingest(project);
  if (!report.upToDate) console.log(`global setup: indexed ${report.chunks} chunks in ${((performance.now() - started) / 1000).toFixed(1)} s (${report.cacheMisses} embedded)`);
}
