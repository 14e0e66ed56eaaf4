import { builtinModules } from 'node:module';

/**
 * Problems that stop `name` from being a new npm package's name, following npm's own rules
 * (https://github.com/npm/validate-npm-package-name): empty list = valid.
 */
export function npmNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) return ['name must not be empty'];
  if (name.trim() !== name) problems.push('name must not start or end with spaces');
  if (name.length > 214) problems.push('name must be at most 214 characters');
  if (name.startsWith('.')) problems.push('name must not start with a period');
  if (name.startsWith('_')) problems.push('name must not start with an underscore');
  if (name.toLowerCase() !== name) problems.push('name must be lowercase');
  if (/[~'!()*]/.test(name)) problems.push("name must not contain any of ~'!()*");
  if (name === 'node_modules' || name === 'favicon.ico') problems.push(`"${name}" is a reserved name`);
  if (builtinModules.includes(name) || builtinModules.includes(`node:${name}`)) problems.push(`"${name}" is the name of a Node.js built-in module`);
  // A scoped name is @scope/name; each part on its own must survive URL encoding unchanged.
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
  const parts = scoped ? [scoped[1] ?? '', scoped[2] ?? ''] : [name];
  if (parts.some((part) => encodeURIComponent(part) !== part)) problems.push('name may contain only URL-safe characters (letters, digits, - . _ ~, and one @scope/ prefix)');
  if (scoped && (scoped[2] ?? '').match(/^[._]/)) problems.push('the part after the scope must not start with a period or underscore');
  return problems;
}

/** A folder name turned into a likely valid package name, offered as the fix in error messages. */
export function suggestNpmName(raw: string): string {
  const suggestion = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214);
  return suggestion.length > 0 && npmNameProblems(suggestion).length === 0 ? suggestion : 'my-rag';
}
