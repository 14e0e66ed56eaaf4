// Turns the eval set into promptfoo test cases (promptfooconfig.yaml: tests: file://evals/promptfoo/tests.ts).
import { findProjectRoot, loadProjectConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { projectPaths } from '../../starter/paths.ts';
import { type EvalItem, loadEvalset, selectItems } from '../evalset.ts';

const ASSERTIONS = 'file://evals/promptfoo/assertions.ts';

/** Gold ids travel as one comma-joined string: promptfoo expands array-valued vars into several test cases. */
export function toPromptfooTest(item: EvalItem) {
  const assert =
    item.type === 'unanswerable'
      ? [{ type: 'javascript' as const, value: `${ASSERTIONS}:abstains`, metric: 'abstain_correct' }]
      : [
          { type: 'icontains-any' as const, value: item.answers, metric: 'contains' },
          { type: 'javascript' as const, value: `${ASSERTIONS}:citesGold`, metric: 'cites_gold' },
          { type: 'javascript' as const, value: `${ASSERTIONS}:grounded`, metric: 'groundedness' },
        ];
  return { description: `${item.id} (${item.type})`, vars: { question: item.question, id: item.id, gold: item.gold.join(',') }, assert };
}

/** RAGFOLIO_SPLIT picks the split (dev, test or all); the config's eval.split otherwise. */
export default async function generateTests() {
  const project = await loadProjectConfig(findProjectRoot(process.cwd()));
  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  const evalset = await loadEvalset(paths.evalset, new Set(corpus.byId.keys()));
  const split = process.env.RAGFOLIO_SPLIT ?? project.config.eval.split;
  if (split !== 'dev' && split !== 'test' && split !== 'all') throw new Error(`RAGFOLIO_SPLIT must be dev, test or all, not "${split}"`);
  return selectItems(evalset, split).map(toPromptfooTest);
}
