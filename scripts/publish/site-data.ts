// What the published site is made of, read from the project's own files (the I/O half of the site; the
// pages are rendered from this by site-pages.ts). Nothing here computes a number that is not in a run file,
// except the paired comparison with the named baseline (evals/report/named-baseline.ts), which is what
// `ragfolio compare` computes from the two run files it names.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { createContext } from '../../evals/report/context.ts';
import { charts } from '../../evals/report/sections.ts';
import { missingArtefacts, renderSummary } from '../../evals/report/summary.ts';
import { collectSummaryInput } from '../../evals/report/summary-input.ts';
import { datasetDir, type ProjectConfig } from '../../starter/config.ts';
import { projectPaths } from '../../starter/paths.ts';
import type { SiteInput } from './site-pages.ts';

/** Files of a dataset folder that state its terms: LICENSE, LICENCE, NOTICE, COPYING (any extension). */
const LICENCE_FILE = /^(licen[cs]e|notice|copying)([.-].*)?$/i;

/** Everything the site shows except the demo, which the caller builds (it is slow and optional). */
export async function collectSiteInput(project: ProjectConfig): Promise<Omit<SiteInput, 'demo'>> {
  const paths = projectPaths(project);
  const rel = (file: string) => relative(project.root, file).split('\\').join('/');
  const pkg = z
    .object({ name: z.string().optional(), description: z.string().optional() })
    .catch({})
    .parse(JSON.parse(await readFile(join(project.root, 'package.json'), 'utf8').catch(() => '{}')));

  const dataset = await collectDataset(project, rel);
  // Without an eval set there is nothing measured yet: the pages say what to do first.
  if (!existsSync(paths.evalset)) {
    const missing = `No eval set yet (${rel(paths.evalset)}): write one (\`npx ragfolio evalset draft\`), then \`npx ragfolio eval --save-baseline\`, and publish again.`;
    return {
      projectName: pkg.name ?? 'ragfolio project',
      ...(pkg.description ? { description: pkg.description } : {}),
      summary: { ok: false, missing },
      comparison: { ok: false, missing },
      charts: [],
      dataset,
    };
  }
  const input = await collectSummaryInput(project);
  const report = input.test ?? input.baseline;
  return {
    projectName: input.projectName,
    ...(pkg.description ? { description: pkg.description } : {}),
    // The author's own pitch (docs/PITCH.md) once written; until then the overview leaves it out.
    ...(input.pitch?.value.pitch ? { pitch: { file: input.pitch.file, value: input.pitch.value.pitch } } : {}),
    summary: input.baseline
      ? { ok: true, value: renderSummary(input) }
      : { ok: false, missing: `No baseline run yet, so there is no write-up. Run ${missingArtefacts(input).join('; then ')}, and publish again.` },
    ...(report ? { report } : {}),
    // The same comparison the write-up tells its story from (evals/report/named-baseline.ts).
    comparison: input.namedBaseline ?? { ok: false, missing: 'No eval run yet: run `npx ragfolio eval --save-baseline` first.' },
    // The write-up's own charts, drawn from the reported run.
    charts: report ? charts(createContext(input, report)) : [],
    dataset,
  };
}

async function collectDataset(project: ProjectConfig, rel: (file: string) => string): Promise<SiteInput['dataset']> {
  const dir = datasetDir(project);
  const names = existsSync(dir) ? (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name) : [];
  const read = async (name: string) => ({ file: rel(join(dir, name)), value: await readFile(join(dir, name), 'utf8') });
  const datasheet = names.includes('DATASHEET.md') ? await read('DATASHEET.md') : undefined;
  return {
    dir: rel(dir),
    ...(datasheet ? { datasheet } : {}),
    licences: await Promise.all(
      names
        .filter((n) => LICENCE_FILE.test(n))
        .sort()
        .map(read),
    ),
  };
}
