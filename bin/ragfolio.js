#!/usr/bin/env node
// The CLI is TypeScript that a user reads and edits in place. It runs from a build of that TypeScript in
// .ragfolio/cli/ (made at install, remade when a source file changes: scripts/cli/build-cli.mjs), which starts
// several times faster than compiling each file on load; where no build can be made, it runs through tsx.
import { fileURLToPath } from 'node:url';
import { buildCli, freshBuild } from '../scripts/cli/build-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = (await freshBuild(root)) ?? (await buildCli(root).catch(() => undefined));
/** @type {{ main(args: readonly string[]): Promise<void> }} */
let cli;
if (entry) cli = await import(entry);
else {
  // tsx reports a syntax error in the user's code with its file and line; the build would only have failed.
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../scripts/ragfolio.ts');
}
await cli.main(process.argv.slice(2));
