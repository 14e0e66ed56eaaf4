import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The docs name commands, npm scripts and files; this keeps every such reference true as the code moves.
// Each check collects every failure across all pages, so one run shows the whole list with file and line.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(ROOT, 'docs');

/**
 * Commands the docs may name before the CLI registers them. Shrinks as they land: once `ragfolio --help` lists
 * a command, delete it here. Empty: every command the docs name exists.
 */
const PLANNED_COMMANDS: ReadonlySet<string> = new Set<string>();

/** Written by commands rather than kept in the repository (relative to the root; a trailing / means "under"). */
const GENERATED_PATHS: readonly string[] = [
  'runs/', // ragfolio eval, experiment
  'docs/PROJECT_SUMMARY.md', // ragfolio summary
  'docs/PROJECT_SUMMARY.html',
  'docs/charts/',
  'docs/iterations.json', // ragfolio summary
  'docs/PITCH.md', // ragfolio new, for the author to write
  'datasets/sotu/evalset.draft.jsonl', // ragfolio evalset draft
];

// This test is kit-only (scripts/new/manifest.ts), but `ragfolio new` copies docs/ into users' projects as they
// are, so the pages avoid the kit's own scripts and folders (bench, the dataset builder) and mark `new` as the kit's.

/** A backticked token is checked as a repo path when it starts with one of these or is one of the root files. */
const PATH_PREFIXES = ['starter/', 'evals/', 'datasets/', 'docs/', 'scripts/', 'tests/', 'bench/'];
const ROOT_FILES: ReadonlySet<string> = new Set(['ragfolio.config.json', 'promptfooconfig.yaml', 'package.json', 'README.md', 'tsconfig.json', 'vitest.config.ts', 'package-lock.json']);
const KNOWN_EXTENSION = /\.(ts|mts|js|mjs|json|jsonl|md|yaml|yml|svg|html|txt|py|sh)$/;
/** Tokens with these are patterns or placeholders (`runs/<time>-<label>.json`, `evals/**`), not paths. */
const PLACEHOLDER = /[<>{}*…$]|\.\.\./;

// ---------------------------------------------------------------------------------------------------------------
// What the CLI and package.json really offer

function helpCommands(args: readonly string[]): Set<string> {
  const help = execFileSync(process.execPath, ['bin/ragfolio.js', ...args, '--help'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // The Commands section runs to the first blank line (anything after it, such as examples, is not a command).
  const section = help.split(/^Commands:\s*$/m)[1]?.split(/\n\s*\n/)[0];
  if (section === undefined) throw new Error(`no "Commands:" section in \`ragfolio ${args.join(' ')} --help\`:\n${help}`);
  // Command lines are indented two spaces; wrapped descriptions are indented further.
  return new Set([...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1] as string));
}

const registered = helpCommands([]);
const subcommands: Record<string, Set<string>> = {
  evalset: helpCommands(['evalset']),
  baseline: helpCommands(['baseline']),
};
const allowedCommands = new Set([...registered, ...PLANNED_COMMANDS]);
const scripts = new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}));

// ---------------------------------------------------------------------------------------------------------------
// Markdown: split each page into code (fenced blocks, inline spans) and prose, keeping line numbers

interface Piece {
  line: number;
  text: string;
}

interface Page {
  file: string; // relative to the repo root
  code: Piece[]; // fenced lines and inline code spans
  inline: Piece[]; // inline code spans only
  prose: Piece[]; // lines outside fences, inline code removed
  links: Piece[]; // markdown link targets outside code
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

function parsePage(path: string): Page {
  const page: Page = { file: relative(ROOT, path).split(sep).join('/'), code: [], inline: [], prose: [], links: [] };
  let fence: string | undefined;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
      const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
      if (marker && (fence === undefined || marker.startsWith(fence))) {
        fence = fence === undefined ? marker : undefined;
        return;
      }
      if (fence !== undefined) {
        page.code.push({ line, text });
        return;
      }
      for (const m of text.matchAll(/`([^`]+)`/g)) {
        page.code.push({ line, text: m[1] as string });
        page.inline.push({ line, text: m[1] as string });
      }
      const prose = text.replace(/`[^`]*`/g, ' ');
      page.prose.push({ line, text: prose });
      for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) page.links.push({ line, text: m[1] as string });
      const reference = /^\s*\[[^\]]+\]:\s+(\S+)/.exec(prose)?.[1];
      if (reference) page.links.push({ line, text: reference });
    });
  return page;
}

const pages = markdownFiles(DOCS)
  .filter((path) => relative(DOCS, path) !== 'PROJECT_SUMMARY.md')
  .sort()
  .map(parsePage);

// ---------------------------------------------------------------------------------------------------------------
// Finding references

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The arguments after each `ragfolio` invocation in a piece of text. Bare `ragfolio x` counts only in code. */
function ragfolioInvocations(text: string, inCode: boolean): string[][] {
  const out: string[][] = [];
  const withoutComment = inCode ? text.replace(/(^|\s)#\s.*$/, '$1') : text;
  for (const segment of withoutComment.split(/&&|\|\||;|\||\$\(/)) {
    const tokens = segment.trim().split(/\s+/).filter(Boolean);
    tokens.forEach((token, i) => {
      if (token !== 'ragfolio') return;
      const viaNpx = tokens[i - 1] === 'npx';
      const viaNpm = tokens[i - 2] === 'npm' && tokens[i - 1] === 'run' && tokens[i + 1] === '--';
      const bare = inCode && tokens.slice(0, i).every((t) => ENV_ASSIGNMENT.test(t) || t === '$');
      if (viaNpm) out.push(tokens.slice(i + 2));
      else if (viaNpx || bare) out.push(tokens.slice(i + 1));
    });
  }
  return out;
}

/** Positional words after global options: the command, then possibly a subcommand. */
function positionals(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-C' || arg === '--project') i++;
    else if (!arg.startsWith('-')) out.push(arg.replace(/[.,:;)`]+$/, ''));
  }
  return out;
}

function checkInvocation(args: readonly string[]): string | undefined {
  const [command, sub] = positionals(args);
  if (command === undefined || command === '…' || command === '...') return undefined;
  if (!allowedCommands.has(command)) return `\`ragfolio ${command}\` is not a registered command (registered: ${[...registered].sort().join(', ')}; planned: ${[...PLANNED_COMMANDS].join(', ')})`;
  const known = subcommands[command];
  if (known && sub !== undefined && /^[a-z]/.test(sub) && !known.has(sub)) return `\`ragfolio ${command} ${sub}\`: "${sub}" is not a subcommand of ${command} (known: ${[...known].sort().join(', ')})`;
  return undefined;
}

/** `npm run <script>`, `npm start`, `npm test` → the script name. */
function npmScripts(text: string): string[] {
  const names = [...text.matchAll(/\bnpm\s+run\s+([\w:.-]+)/g)].map((m) => (m[1] as string).replace(/[.:]+$/, ''));
  for (const m of text.matchAll(/\bnpm\s+(start|test)\b/g)) names.push(m[1] as string);
  return names;
}

function isGenerated(path: string): boolean {
  return GENERATED_PATHS.some((g) => (g.endsWith('/') ? path === g.slice(0, -1) || path.startsWith(g) : path === g));
}

/** Strip what surrounds a path in prose or a command (quotes, punctuation, `file://`, `#anchor`, `:line`). */
function cleanPathToken(token: string): string {
  return token
    .replace(/^["'(]+|["'),;]+$/g, '')
    .replace(/^file:\/\//, '')
    .replace(/^\.\//, '')
    .replace(/#.*$/, '')
    .replace(/:\d+(-\d+)?$/, '')
    .replace(/[.:]+$/, '');
}

function looksLikeRepoPath(token: string): boolean {
  if (token === '' || PLACEHOLDER.test(token)) return false;
  if (ROOT_FILES.has(token)) return true;
  return (token.includes('/') || KNOWN_EXTENSION.test(token)) && PATH_PREFIXES.some((p) => token.startsWith(p));
}

// ---------------------------------------------------------------------------------------------------------------

describe('docs/', () => {
  test('there are pages to check, and the CLI lists its commands', () => {
    expect(pages.map((p) => p.file)).toContain('docs/README.md');
    expect([...registered]).toEqual(expect.arrayContaining(['ingest', 'ask', 'eval', 'compare', 'experiment']));
    expect([...(subcommands.evalset ?? [])]).toEqual(expect.arrayContaining(['validate', 'draft']));
    expect([...(subcommands.baseline ?? [])]).toContain('promote');
  });

  test('every `ragfolio <command>` is registered in the CLI (or planned)', () => {
    const failures = new Set<string>();
    for (const page of pages) {
      const pieces = [...page.code.map((p) => ({ ...p, inCode: true })), ...page.prose.map((p) => ({ ...p, inCode: false }))];
      for (const { line, text, inCode } of pieces) {
        for (const args of ragfolioInvocations(text, inCode)) {
          const problem = checkInvocation(args);
          if (problem) failures.add(`${page.file}:${line}: ${problem}`);
        }
      }
    }
    expect([...failures]).toEqual([]);
  });

  test('every `npm run <script>`, `npm start` and `npm test` exists in package.json', () => {
    const failures = new Set<string>();
    for (const page of pages) {
      for (const { line, text } of [...page.code, ...page.prose]) {
        for (const name of npmScripts(text)) {
          if (!scripts.has(name)) failures.add(`${page.file}:${line}: npm script "${name}" is not in package.json (scripts: ${[...scripts].sort().join(', ')})`);
        }
      }
    }
    expect([...failures]).toEqual([]);
  });

  test('every repo path in backticks or links exists (generated paths excepted)', () => {
    const failures = new Set<string>();
    for (const page of pages) {
      // Backticked paths are relative to the repository root, as a reader would type them in a shell there.
      for (const { line, text } of page.inline) {
        for (const token of text.split(/\s+/).map(cleanPathToken)) {
          if (!looksLikeRepoPath(token) || isGenerated(token)) continue;
          if (!existsSync(join(ROOT, token))) failures.add(`${page.file}:${line}: \`${token}\` does not exist`);
        }
      }
      // Link targets are relative to the page, as GitHub renders them.
      for (const { line, text } of page.links) {
        if (/^([a-z][a-z+.-]*:|#)/i.test(text)) continue; // external (http:, mailto:) or an anchor on the same page
        const target = decodeURIComponent(text.replace(/[#?].*$/, ''));
        if (target === '') continue;
        const repoPath = relative(ROOT, resolve(ROOT, dirname(page.file), target))
          .split(sep)
          .join('/');
        if (repoPath.startsWith('..')) failures.add(`${page.file}:${line}: link "${text}" points outside the repository`);
        else if (!isGenerated(repoPath) && !existsSync(join(ROOT, repoPath))) failures.add(`${page.file}:${line}: link "${text}" → ${repoPath} does not exist`);
      }
    }
    expect([...failures]).toEqual([]);
  });
});
