import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { quantile } from '../../evals/stats/quantile.ts';
import { cliBuildDir } from '../../scripts/cli/build-cli.mjs';
import { CONFIG_FILE, datasetDir, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';

export interface CliCommandBench {
  name: string;
  command: string;
  /** Median wall time of a new process, in seconds. */
  medianSeconds: number;
  /** Median, over rounds, of this command's time over `node -e 0`'s in the same round. */
  overNode: number;
}

export interface CliBench {
  rounds: number;
  nodeSeconds: number;
  commands: CliCommandBench[];
  /** The first command after a clean checkout, which builds .ragfolio/cli (once). */
  firstRunSeconds: number;
}

const QUESTION = 'What top tax rate did Biden want to restore in 2021?';

/**
 * Each command as a new process, as a user types it, in rounds (every command once per round, so machine drift
 * hits all alike); each time as a ratio to `node -e 0` in the same round. `tsx` runs the same entry without the
 * build, to show what the build buys. The project is a temp folder over the kit's dataset and index, so the
 * eval's run files stay out of the kit.
 */
export async function benchCli(project: ProjectConfig, rounds = 5): Promise<CliBench> {
  const kit = resolve(import.meta.dirname, '../..');
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-cli-'));
  try {
    await ingest(project);
    await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ ...project.config, dataset: datasetDir(project), dataDir: resolve(project.root, project.config.dataDir) }));
    const bin = [join(kit, 'bin', 'ragfolio.js'), '-C', dir];
    // The same entry's main, its TypeScript compiled file by file on load (what bin/ragfolio.js falls back to).
    // (No --input-type: worker threads inherit node's flags, and that one is refused without -e.)
    const tsx = ['--import', 'tsx', '-e', `import(${JSON.stringify(pathToFileURL(join(kit, 'scripts', 'ragfolio.ts')).href)}).then((cli) => cli.main(process.argv.slice(1)))`, '--'];
    const commands: { name: string; args: string[] }[] = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'ragfolio --help', args: [...bin, '--help'] },
      { name: 'ragfolio --help (tsx, no build)', args: [...tsx, '--help'] },
      { name: 'ragfolio ask', args: [...bin, 'ask', QUESTION] },
      { name: 'ragfolio ask (tsx, no build)', args: [...tsx, '-C', dir, 'ask', QUESTION] },
      { name: 'ragfolio eval --split dev', args: [...bin, 'eval', '--split', 'dev', '--label', 'bench-cli'] },
    ];
    const run = (args: string[]) => {
      const start = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: kit, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      if (result.status !== 0) throw new Error(`bench cli: node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().slice(0, 500)}`);
      return (performance.now() - start) / 1000;
    };
    await rm(cliBuildDir(kit), { recursive: true, force: true });
    const firstRunSeconds = run([...bin, '--help']);
    for (const { args } of commands) run(args); // warm-up: the OS file cache, tsx's transform cache
    const times = commands.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) for (const [i, { args }] of commands.entries()) times[i]?.push(run(args));
    const node = times[0] ?? [];
    const median = (xs: readonly number[]) => quantile(xs, 0.5);
    return {
      rounds,
      nodeSeconds: median(node),
      firstRunSeconds,
      commands: commands.slice(1).map(({ name, args }, i) => {
        const own = times[i + 1] ?? [];
        return {
          name,
          command: `node ${args.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`,
          medianSeconds: median(own),
          overNode: median(own.map((t, r) => t / (node[r] ?? Number.NaN))),
        };
      }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
