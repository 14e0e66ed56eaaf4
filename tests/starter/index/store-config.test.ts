import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { configSchema, parseConfig } from '../../../starter/config.ts';
import { isUserError } from '../../../starter/errors.ts';
import { stableHash } from '../../../starter/hash.ts';
import { runCliInProcess, stderrLines } from '../../helpers/cli.ts';
import { createTempProject, tinyConfig } from '../../helpers/temp-project.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

describe('the store config', () => {
  test('absent means hnswlib and leaves the config hash of older configs unchanged', () => {
    const config = configSchema.parse({});
    expect(config.store).toBeUndefined();
    expect(stableHash(config)).toBe(stableHash(configSchema.parse({ store: undefined })));
  });

  test('pgvector takes defaults and an optional url', () => {
    expect(configSchema.parse({ store: { kind: 'pgvector' } }).store).toEqual({ kind: 'pgvector', efSearch: 100, batchSize: 256 });
    expect(configSchema.parse({ store: { kind: 'pgvector', url: 'postgres://ragfolio@db:5432/ragfolio' } }).store).toMatchObject({ url: 'postgres://ragfolio@db:5432/ragfolio' });
  });

  test.each([
    [{ kind: 'pgvector', url: 'postgres://ragfolio:secret@db:5432/ragfolio' }, /store\.url: .*PGPASSWORD/],
    [{ kind: 'pgvector', url: 'mysql://db/x' }, /store\.url: expected postgres:\/\//],
    [{ kind: 'chroma' }, /store/],
    [{ kind: 'hnswlib', url: 'postgres://db/x' }, /"url"/],
  ])('%j is refused, naming the field', (store, pattern) => {
    const error = (() => {
      try {
        parseConfig({ store }, 'ragfolio.config.json');
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error)).toBe(true);
    expect(String(error)).toMatch(pattern);
    expect(String(error)).not.toContain('secret');
  });
});

test('ingest against a database that does not answer: exit 2 naming it, before embedding anything', async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const p = await createTempProject({ config: { ...tinyConfig, store: { kind: 'pgvector', url: `postgres://ragfolio@127.0.0.1:${port}/ragfolio` } } });
  roots.push(p.root);
  const result = await runCliInProcess(['-C', p.root, 'ingest']);
  expect(result.code, result.stderr).toBe(2);
  expect(stderrLines(result)).toHaveLength(1);
  expect(result.stderr).toMatch(new RegExp(`Postgres at postgres://ragfolio@127\\.0\\.0\\.1:${port}/ragfolio: .*ECONNREFUSED.*store\\.url`));
  expect(existsSync(join(p.root, '.ragfolio', 'cache'))).toBe(false); // nothing was embedded
});
