// @ts-check
// Builds the CLI's TypeScript into ES-module chunks under .ragfolio/cli/ (esbuild: the CLI's entry and the
// experiment grid's worker thread, a chunk per command, packages left external), so a command starts without
// compiling each of its ~300 files on load through tsx. The TypeScript stays the source: bin/ragfolio.js builds
// on first use and again whenever a file the build came from changes (about a second), and runs the TypeScript
// through tsx when no build can be made.
// Plain JavaScript: it runs before anything can compile TypeScript.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const MANIFEST = 'manifest.json';
const ENTRY = 'scripts/ragfolio.ts';
/** The experiment grid's worker thread (evals/grid/threads.ts), built too so a grid's threads compile nothing either. */
const GRID_WORKER = 'evals/grid/worker.ts';
const GRID_WORKER_FILE = 'grid-worker.js';

/** Where the build lives in a project: inside its cache folder, which git ignores. */
export function cliBuildDir(root) {
  return join(root, '.ragfolio', 'cli');
}

/**
 * The bundle's entry file when every source file it was built from is unchanged (same size and mtime), else
 * undefined. About 250 stat calls: a few milliseconds.
 */
export async function freshBuild(root) {
  const dir = cliBuildDir(root);
  const manifest = await readFile(join(dir, MANIFEST), 'utf8')
    .then((text) => /** @type {{ entry: string, inputs: Record<string, [number, number]> }} */ (JSON.parse(text)))
    .catch(() => undefined);
  if (!manifest) return undefined;
  for (const [path, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
    const now = await stat(join(root, path)).catch(() => undefined);
    if (!now || now.size !== size || now.mtimeMs !== mtimeMs) return undefined;
  }
  return join(dir, manifest.entry);
}

/**
 * The built grid worker when the build is fresh and has one (a build made before it was added has none), else
 * undefined: runExperiment then starts its threads from evals/grid/worker.mjs, which compiles through tsx.
 */
export async function builtGridWorker(root) {
  if (!(await freshBuild(root))) return undefined;
  const worker = join(cliBuildDir(root), GRID_WORKER_FILE);
  return existsSync(worker) ? worker : undefined;
}

/**
 * A module's `import.meta.url`/`dirname`/`filename` must keep naming its source file once bundled (the app finds
 * its worker, word table, page and rubric beside it). Every chunk sits in one folder, so a path relative to the
 * chunk's own URL keeps working wherever the project folder moves.
 */
function keepImportMeta(root, outdir) {
  return {
    name: 'keep-import-meta',
    /** @param {import('esbuild').PluginBuild} build */
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!/import\.meta\.(url|dirname|filename)/.test(source) || relative(root, args.path).startsWith('..')) return undefined;
        const fromChunk = relative(outdir, args.path).split('\\').join('/');
        const prelude = `import { fileURLToPath as __sourcePath } from 'node:url'; const __sourceUrl = new URL(${JSON.stringify(fromChunk)}, import.meta.url).href;\n`;
        const contents = source
          .replaceAll('import.meta.url', '__sourceUrl')
          .replaceAll('import.meta.dirname', "__sourcePath(new URL('.', __sourceUrl)).replace(/[\\\\/]$/, '')")
          .replaceAll('import.meta.filename', '__sourcePath(__sourceUrl)');
        return { contents: prelude + contents, loader: 'ts' };
      });
    },
  };
}

/** Build into a temp folder, then swap it in, so a reader never sees half a build. Returns the entry file. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  const dir = cliBuildDir(root);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    const result = await build({
      // Named entries keep the CLI's file at the build's top level; a project without the grid builds the CLI alone.
      entryPoints: {
        ragfolio: join(root, ENTRY),
        ...(existsSync(join(root, GRID_WORKER)) ? { [GRID_WORKER_FILE.replace(/\.js$/, '')]: join(root, GRID_WORKER) } : {}),
      },
      absWorkingDir: root,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: tmp,
      metafile: true,
      logLevel: 'silent',
      plugins: [keepImportMeta(root, dir)],
    });
    const inputs = {};
    for (const path of Object.keys(result.metafile.inputs)) {
      const file = resolve(root, path);
      const { size, mtimeMs } = await stat(file);
      inputs[relative(root, file)] = [size, mtimeMs];
    }
    await writeFile(join(tmp, MANIFEST), JSON.stringify({ entry: 'ragfolio.js', inputs }));
    await mkdir(dirname(dir), { recursive: true });
    const old = `${dir}.old-${process.pid}`;
    await rename(dir, old).catch(() => undefined);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
    return join(dir, 'ragfolio.js');
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
