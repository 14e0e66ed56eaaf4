import type { Command } from 'commander';
import { loadCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';
import { projectPaths } from '../../starter/paths.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .argument('<passage-id>', 'e.g. 1991-bush-025')
    .option('--json', 'print the passage record as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const paths = projectPaths(await openProject(command));
      const corpus = await loadCorpus(paths.corpus);
      const passage = corpus.byId.get(id);
      if (!passage) {
        const near = corpus.passages.filter((p) => p.docId === id.replace(/-\d+$/, '')).length;
        const hint =
          near > 0
            ? ` That document has passages ${id.replace(/-\d+$/, '')}-000 to -${String(near - 1).padStart(3, '0')}.`
            : ' Passage ids look like 1991-bush-025; see the citations of `ragfolio ask`.';
        throw new UserError(`${paths.corpus}: no passage with id "${id}".${hint}`);
      }
      if (options.json) printJson(passage);
      else process.stdout.write(`${color.cyan(`[${passage.id}]`)} ${color.dim(`${passage.title} · characters ${passage.start}–${passage.end}`)}\n${passage.text}\n`);
    });
}
