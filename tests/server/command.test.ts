import type { ChildProcessByStdio } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, datasetDir, loadProjectConfig } from '../../starter/config.ts';
import { projectPaths } from '../../starter/paths.ts';
import { runCli, startServe } from '../helpers/cli.ts';
import { repoRoot } from './helpers.ts';

// A copy of the kit's project in a temp folder (same config, the bundled dataset, a copy of its index), so
// serve's served.json lands there and not in the kit's own data folder.
let root: string;
const children: ChildProcessByStdio<null, Readable, Readable>[] = [];

beforeAll(async () => {
  const kit = await loadProjectConfig(repoRoot);
  root = await mkdtemp(join(tmpdir(), 'ragfolio-serve-cli-'));
  await writeFile(join(root, CONFIG_FILE), JSON.stringify({ ...kit.config, dataset: datasetDir(kit), dataDir: '.ragfolio' }));
  const project = await loadProjectConfig(root);
  await cp(projectPaths(kit).index, projectPaths(project).index, { recursive: true });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

function serveProject(args: readonly string[]) {
  const serve = startServe(root, args);
  children.push(serve.child);
  return serve;
}

describe('ragfolio serve (the command)', () => {
  it('prints its URL on stdout, serves, writes served.json, and exits 0 on SIGTERM', async () => {
    const serve = serveProject(['--port', '0']);
    const url = await serve.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(new URL('/api/health', url))).status).toBe(200);
    expect(JSON.parse(await readFile(join(root, '.ragfolio', 'served.json'), 'utf8'))).toMatchObject({ url });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output().stderr).toMatch(/SIGTERM: closing/);
  });

  it('a port in use is a user error: one line on stderr, exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const serve = serveProject(['--port', String(port)]);
      expect(await serve.exited).toBe(2);
      expect(serve.output().stderr).toMatch(new RegExp(`^ragfolio: port ${port} on 127\\.0\\.0\\.1 is already in use\\. .*--port`, 'm'));
      expect(serve.output().stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad --port with exit 2 before loading anything', async () => {
    const result = await runCli(['-C', root, 'serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ragfolio: --port must be a whole number from 0 to 65535/);
    expect(result.stdout).toBe('');
  });
});
