import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';
import { publishSite } from '../publish/site.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function registerPublishCommand(program: Command): void {
  program
    .command('publish')
    .option('--out <dir>', 'folder to build the site in; replaced only if empty or a site built by publish (default: <project>/site)')
    .option('--no-demo', 'leave out the in-browser demo (faster)')
    .option('--json', 'print what was built as JSON')
    .action(async (options: { out?: string; demo: boolean; json?: boolean }, command: Command) => {
      const project = await openProject(command);
      const out = options.out === undefined ? join(project.root, 'site') : resolve(options.out);
      const result = await publishSite(project, { out, demo: options.demo, onStep: (m) => process.stderr.write(`${m}\n`) });
      // A warning on stderr even with --json: the site goes out without these sentences.
      for (const what of result.leftOut) process.stderr.write(`warning: the write-up leaves out (no evidence in the project yet): ${what}\n`);
      if (options.json) return printJson(result);
      for (const missing of result.missing) process.stderr.write(`tip: ${missing}\n`);
      const demo = result.demo ? `, of which the demo ${result.demo.files} files, ${kb(result.demo.bytes)}` : '';
      process.stderr.write(`site: ${result.files} files, ${kb(result.bytes)}${demo}\n`);
      process.stdout.write(`${join(result.out, 'index.html')}\n`);
    });
}
