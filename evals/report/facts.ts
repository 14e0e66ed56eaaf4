// Prose facts of the write-up, each derived from an artefact or left out (Ledger.omit). The evidence is gathered
// by the command (git, files); these functions only decide what may be said with it.
import type { Config } from '../../starter/config.ts';
import type { Ledger } from './ledger.ts';

/** What the project's own files and history show; absent fields mean "no evidence". */
export interface ProjectEvidence {
  /** The commit that added the eval set file, and the first run's commit, from git. */
  evalsetCommit?: { commit: string; date: string };
  firstRun?: { file: string; commit: string };
  /** git merge-base --is-ancestor evalsetCommit firstRun.commit */
  evalsetBeforeFirstRun?: boolean;
  /** A CI workflow that runs the regression gate (npm test with evals/regression.test.ts, test:evals or compare). */
  gateWorkflow?: { file: string };
}

const short = (commit: string) => commit.slice(0, 7);

/** "The eval set was committed before the first run", with both commits, or nothing. */
export function evalsetFirstClaim(L: Ledger, evalsetFile: string, e: ProjectEvidence): string {
  if (e.evalsetCommit && e.firstRun && e.evalsetBeforeFirstRun) {
    return L.claim(
      `The eval set \`${evalsetFile}\` was committed (\`${short(e.evalsetCommit.commit)}\`, \`${e.evalsetCommit.date.slice(0, 10)}\`) before the first run (\`${e.firstRun.file}\` at \`${short(e.firstRun.commit)}\`), so no setting was tuned before its questions existed.`,
      `git: ${e.evalsetCommit.commit} is an ancestor of ${e.firstRun.commit}`,
    );
  }
  return L.omit(
    e.evalsetCommit && e.firstRun
      ? `when the eval set was written: its first commit is not an ancestor of the first run's commit`
      : `when the eval set was written: git history does not date it against a run of this project (commit ${evalsetFile}, then run \`ragfolio eval\` and commit)`,
  );
}

/** "Every change is gated in CI" when a workflow runs the gate against a committed baseline, else nothing. */
export function gateClaim(L: Ledger, baselineFile: string, e: ProjectEvidence): string {
  if (e.gateWorkflow) {
    return L.claim(
      `Every push runs the regression gate in CI (\`${e.gateWorkflow.file}\`) against \`${baselineFile}\`: one-sided paired tests of the gated metrics, Holm-corrected, fail the build on a significant drop.`,
      `file: ${e.gateWorkflow.file}`,
    );
  }
  return L.omit('no CI workflow runs the regression gate (`.github/workflows/eval.yml` from the ragfolio template does): add one before claiming the project is gated');
}

/** How retrieval works, in the config's own terms. */
export function retrievalWords(L: Ledger, config: Config): string {
  const r = config.retriever;
  const fusion = (r.fusion as { method?: string }).method ?? 'rrf';
  const fused: Record<string, string> = {
    rrf: 'reciprocal-rank fusion',
    convex: `a convex combination of ${r.fusion.normalization === 'zscore' ? 'z-scored' : 'min-max normalised'} scores`,
    rerank: "dense re-ranking of BM25's candidates",
  };
  const words =
    r.kind === 'hybrid'
      ? `hybrid retrieval (dense embeddings and BM25, merged by ${fused[fusion] ?? fusion})`
      : r.kind === 'dense'
        ? 'dense retrieval (embeddings, nearest neighbours)'
        : 'BM25 retrieval';
  return L.claim(words, `config: retriever.kind = ${r.kind}${r.kind === 'hybrid' ? `, retriever.fusion.method = ${fusion}` : ''}`);
}
