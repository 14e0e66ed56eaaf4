import { posix } from 'node:path';

// `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')` with a literal specifier.
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"\n]+)['"]/g;

/** Module specifiers a JS/TS source names; a regex scan, enough for the kit's own plain import style. */
export function moduleSpecifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? '').filter(Boolean);
}

/** Project-relative paths of the relative imports of the file at `path` ("/"-separated). */
export function relativeImports(text: string, path: string): string[] {
  return moduleSpecifiers(text)
    .filter((s) => s.startsWith('./') || s.startsWith('../'))
    .map((s) => posix.normalize(posix.join(posix.dirname(path), s)));
}

/** npm package names of the bare imports (`node:` built-ins excluded): "@scope/pkg/sub" → "@scope/pkg". */
export function packageImports(text: string): string[] {
  return moduleSpecifiers(text)
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:'))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}
