import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.ts';
import { stableHash } from './hash.ts';
import { describeJsonError, describeZodError, readTextOrFail } from './jsonl.ts';

export const CONFIG_FILE = 'ragfolio.config.json';

const chunkSchema = z.discriminatedUnion('mode', [
  // Each corpus passage is one chunk: gold passages and chunks line up exactly.
  z.object({ mode: z.literal('passage') }),
  // Re-split each source document with LangChain's RecursiveCharacterTextSplitter (sizes in characters).
  z.object({ mode: z.literal('split'), size: z.number().int().min(50), overlap: z.number().int().min(0) }),
]);

const embeddingsSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('local'), model: z.literal('use-lite').default('use-lite'), workers: z.number().int().min(1).max(16).default(2) }),
  z.object({
    provider: z.literal('openai'),
    model: z.string().default('text-embedding-3-small'),
    // Network limits, optional so they stay out of existing configs' hashes; defaults in openai-retry.ts.
    timeoutMs: z.number().int().positive().optional(),
    maxRetries: z.number().int().min(0).optional(),
    maxTotalMs: z.number().int().positive().optional(),
  }),
]);

/**
 * Where the extractive answerer's minScore came from, written by `ragfolio calibrate` (evals/calibrate.ts):
 * `conformal` on this project's dev split for a target share of unanswerable questions answered, or a documented
 * `fallback` when the project has too few unanswerable dev questions. Its minScore is the one chosen; if
 * generator.minScore differs (edited by hand, or swept by a grid), the hand-set value is used and reported as such.
 */
/**
 * What the abstention threshold reads. `support`: the best quote's score combined with retrieval's BM25 signals
 * (starter/answer/support.ts), which separates answerable from unanswerable docs questions better; `sentence`:
 * the best quote's score alone, which at the same conformal target answers more of the bundled speeches' dev
 * questions (evals/tuning/support-fit.md). A threshold belongs to one of them.
 */
export const CONFIDENCE_SCORES = ['support', 'sentence'] as const;
export type ConfidenceScore = (typeof CONFIDENCE_SCORES)[number];

export const abstentionSchema = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('conformal'),
      minScore: z.number().min(0),
      /** Most a new unanswerable question may be answered: P(answered) <= bound <= target. */
      target: z.number().gt(0).lt(1),
      bound: z.number().min(0).max(1),
      /** Unanswerable dev questions the threshold was calibrated on, and the rank k of the score it sits above. */
      n: z.number().int().min(1),
      rank: z.number().int().min(1),
      evalsetHash: z.string(),
      split: z.literal('dev'),
      calibratedAt: z.string(),
      /** The score the threshold was calibrated on. */
      confidence: z.enum(CONFIDENCE_SCORES).optional(),
    })
    .strict(),
  z
    .object({
      method: z.literal('fallback'),
      minScore: z.number().min(0),
      target: z.number().gt(0).lt(1),
      bound: z.number().min(0).max(1),
      n: z.number().int().min(1),
      rank: z.number().int().min(1),
      /** Why this project uses the fallback, and what the fallback was calibrated on. */
      reason: z.string(),
      source: z.string(),
      calibratedAt: z.string(),
      confidence: z.enum(CONFIDENCE_SCORES).optional(),
    })
    .strict(),
]);
export type Abstention = z.infer<typeof abstentionSchema>;

const generatorSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('extractive'),
    /** `window`: quote the best run of up to maxSentences consecutive sentences; `sentences`: the best maxSentences anywhere. */
    unit: z.enum(['sentences', 'window']).default('window'),
    maxSentences: z.number().int().min(1).max(10).default(2),
    /** Markdown: quote the best run with its neighbours in its section, up to this many units in all (1 = the run alone; shown, not scored). */
    sectionWindow: z.number().int().min(1).max(10).default(3),
    /** Window mode: also quote another passage's best run when it scores at least this share of the best (0 = never). */
    secondSource: z.number().min(0).max(1).default(0.7),
    /** Below this confidence (the score `confidence` names) the answerer says "not found in the corpus". */
    minScore: z.number().min(0).max(1).default(0.51),
    /** Provenance of minScore (`ragfolio calibrate`); absent: set by hand. */
    abstention: abstentionSchema.optional(),
    /** The score minScore is compared with (CONFIDENCE_SCORES). */
    confidence: z.enum(CONFIDENCE_SCORES).default('support'),
    /** Credit for a question term that the sentence's passage holds but the sentence does not. */
    contextWeight: z.number().min(0).max(1).default(0.5),
    /** Score taken off a sentence with no number, date or name (beyond those the question holds) when the question asks for one (0 = off). */
    cuePenalty: z.number().min(0).max(1).default(0.2),
    /** Share of a sentence's score that is USE-lite question–sentence similarity (0 = lexical only; each sentence is embedded). */
    semanticWeight: z.number().min(0).max(1).default(0.65),
    /** Confidence credit for a question term the sentence holds only in a WordNet-related form (0 = off; never changes which sentence is quoted). */
    relatedWeight: z.number().min(0).max(1).default(1),
    /** Markdown: added to a run's score times its chunk's retrieval standing (1 first … 0 last retrieved); picks the quote, never changes the confidence (0 = off). */
    retrievalWeight: z.number().min(0).max(1).default(0.2),
  }),
  z.object({
    provider: z.literal('openai'),
    model: z.string().default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).default(0),
    timeoutMs: z.number().int().positive().default(30_000),
    maxRetries: z.number().int().min(0).default(3),
    /** All attempts of one answer together, retries and waits included (default 60 000). */
    maxTotalMs: z.number().int().positive().optional(),
  }),
  // A LangChain agent (starter/answer/agent.ts) that searches the corpus and reads passages itself.
  z.object({
    provider: z.literal('agent'),
    model: z.string().default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).default(0),
    /** Each model call: its time limit and retries. */
    timeoutMs: z.number().int().positive().default(30_000),
    maxRetries: z.number().int().min(0).default(2),
    /** Model calls per question: past this the agent stops and abstains. */
    maxSteps: z.number().int().min(1).max(50).default(6),
    /** Input plus output tokens per question, summed over its model calls: past this the agent stops and abstains. */
    maxTokens: z.number().int().positive().default(20_000),
    /** The whole question, every step included. */
    maxTotalMs: z.number().int().positive().default(120_000),
    /** The most passages one search_corpus call may return. */
    maxSearchK: z.number().int().min(1).max(20).default(8),
  }),
]);

const storeSchema = z.discriminatedUnion('kind', [
  // Files under dataDir: hnswlib's graph and a checksummed manifest, for one machine.
  z.object({ kind: z.literal('hnswlib') }).strict(),
  // Postgres with pgvector, which several servers share; without a url, an embedded PGlite under dataDir.
  z
    .object({
      kind: z.literal('pgvector'),
      /** postgres://user@host:5432/db; the password comes from PGPASSWORD, since the config is copied into run files. */
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected postgres://user@host:port/database')
        .refine((url) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(url), 'no password in the url: set PGPASSWORD instead')
        .optional(),
      /** pgvector's hnsw.ef_search: candidates kept per query (at least the k asked for); more buys recall. */
      efSearch: z.number().int().min(1).max(1000).default(100),
      /** Rows written per transaction: an interrupted ingest keeps whole batches and resumes after them. */
      batchSize: z.number().int().min(1).max(10_000).default(256),
    })
    .strict(),
]);

// Defaults are what the dev split chose (docs/month-3-evals.md); configs/naive.json keeps the first version's.
const retrieverSchema = z
  .object({
    kind: z.enum(['dense', 'bm25', 'hybrid']).default('hybrid'),
    k: z.number().int().min(1).max(100).default(5),
    /** How many candidates each retriever contributes before fusion. */
    candidates: z.number().int().min(1).max(1000).default(100),
    fusion: z
      .object({
        /**
         * How hybrid merges the dense and BM25 lists: `rrf` (weighted reciprocal-rank fusion), `convex`
         * (alpha · dense + (1 − alpha) · BM25 on normalised scores), or `rerank` (the same combination over
         * BM25's candidates only: dense re-ranks what BM25 found).
         */
        method: z.enum(['rrf', 'convex', 'rerank']).default('convex'),
        /** The RRF constant from Cormack et al. (2009). */
        rrfK: z.number().positive().default(60),
        denseWeight: z.number().min(0).default(1),
        bm25Weight: z.number().min(0).default(1),
        /** Dense share of the convex combination (convex, rerank). */
        alpha: z.number().min(0).max(1).default(0.3),
        normalization: z.enum(['minmax', 'zscore']).default('zscore'),
      })
      .strict()
      .default({ method: 'convex', rrfK: 60, denseWeight: 1, bm25Weight: 1, alpha: 0.3, normalization: 'zscore' }),
    bm25: z
      .object({ k1: z.number().min(0).default(0.9), b: z.number().min(0).max(1).default(0.4) })
      .strict()
      .default({ k1: 0.9, b: 0.4 }),
  })
  .strict();

const evalSchema = z
  .object({
    /** Tune on dev; report test. */
    split: z.enum(['dev', 'test', 'all']).default('dev'),
    /** Retrieval metrics are taken at these depths; the deepest sets how many passages each question retrieves. */
    ks: z.array(z.number().int().min(1).max(100)).min(1).default([1, 3, 5, 10]),
    resamples: z.number().int().min(100).max(1_000_000).default(10_000),
    seed: z.number().int().default(42),
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Metrics `compare` tests (Holm-corrected together). */
    compare: z
      .array(z.string())
      .min(1)
      .default(['hit@5', 'mrr@10', 'ndcg@10', 'recall@10', 'contains', 'f1', 'citation_precision', 'groundedness', 'abstain_correct', 'false_abstention', 'judge_faithfulness', 'judge_correct']),
    gate: z
      .object({
        /** Each is tested one-sided (Holm over these only): a significant drop fails `compare` (exit 1) and the regression test. */
        metrics: z.array(z.string()).default(['hit@5', 'ndcg@10', 'contains']),
        /** Non-inferiority margin (absolute): a drop shown to be smaller than this passes; drops as large go undetected only with probability <= α. */
        margin: z.number().gt(0).lt(1).default(0.05),
        /** Power the gate's minimum detectable effect is stated at. */
        power: z.number().gt(0).lt(1).default(0.8),
        /**
         * Correlation of a question's values in two runs that the gate's power plan assumes; absent: 0.5, under
         * which a paired difference is as variable as one run (optional, so existing configs keep their hash).
         */
        correlation: z.number().min(0).lt(1).optional(),
        /** Also fail when non-inferiority is not shown (the eval set must be large enough for the margin). */
        strict: z.boolean().default(false),
        /** Replaced by `margin` (the old rule ignored drops smaller than it, which made the gate miss regressions). */
        tolerance: z.unknown().optional(),
      })
      .strict()
      .superRefine((gate, ctx) => {
        if (gate.tolerance !== undefined)
          ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'eval.gate.tolerance was replaced by eval.gate.margin (non-inferiority margin, default 0.05): rename or delete it' });
      })
      .transform(({ tolerance: _removed, ...gate }) => gate)
      .default({ metrics: ['hit@5', 'ndcg@10', 'contains'], margin: 0.05, power: 0.8, strict: false }),
    /** LLM-judged faithfulness and correctness; needs OPENAI_API_KEY or OPENAI_BASE_URL. */
    judge: z
      .object({
        model: z.string(),
        // Network limits of each grading call; defaults in openai-retry.ts.
        timeoutMs: z.number().int().positive().optional(),
        maxRetries: z.number().int().min(0).optional(),
        maxTotalMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** USD per million tokens, to estimate cost when a model reports usage. */
    pricing: z
      .object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) })
      .strict()
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    dataset: z.string().default('datasets/sotu'),
    dataDir: z.string().default('.ragfolio'),
    chunk: chunkSchema.default({ mode: 'passage' }),
    embeddings: embeddingsSchema.default({ provider: 'local', model: 'use-lite', workers: 2 }),
    retriever: retrieverSchema.default(retrieverSchema.parse({})),
    generator: generatorSchema.default(generatorSchema.parse({ provider: 'extractive' })),
    /**
     * Comparison and list questions answered in parts, each from its own retrieval (starter/answer/planner.ts);
     * not for the agent, which plans itself. On by default: it won on the dev split (docs/month-4-agentic-rag.md).
     */
    planner: z
      .object({
        enabled: z.boolean().default(true),
        /** A part the answerer withheld is quoted when its confidence reaches this (unset: never); see planner.ts. */
        partMinConfidence: z.number().min(0).max(1).optional(),
      })
      .strict()
      .default({ enabled: true, partMinConfidence: 0.4 }),
    /** Where the vectors live; absent means hnswlib files (left out of the config hash, so older runs still match). */
    store: storeSchema.optional(),
    eval: evalSchema.default(evalSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ChunkConfig = Config['chunk'];
export type RetrieverConfig = Config['retriever'];
export type StoreConfig = NonNullable<Config['store']>;

/** A loaded config with the folder it came from, so relative paths resolve against the project, not the cwd. */
export interface ProjectConfig {
  root: string;
  config: Config;
  configHash: string;
}

export function parseConfig(json: unknown, file: string): Config {
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    throw new UserError(`${file}: ${describeZodError(parsed.error)}. Fix the field or delete it to use the default.`);
  }
  return parsed.data;
}

/**
 * Load a project's config. `configFile` (e.g. configs/naive.json) is laid over ragfolio.config.json for one
 * command: each top-level section it names replaces the project's, the rest (dataset, embeddings…) stay the
 * project's, so a named baseline holds only what it changes.
 */
export async function loadProjectConfig(root: string, overrides?: (config: Config) => Config, configFile?: string): Promise<ProjectConfig> {
  const projectFile = join(root, CONFIG_FILE);
  let json = await readConfigJson(projectFile);
  let file = projectFile;
  if (configFile) {
    file = resolve(configFile);
    if (!existsSync(file)) throw new UserError(`${file}: config file not found (--config). Pass the path of a config file, e.g. configs/naive.json.`);
    // The project's own file must be valid on its own, so its errors name it.
    parseConfig(json, projectFile);
    json = { ...asObject(json), ...asObject(await readConfigJson(file)) };
  }
  const base = parseConfig(json, file);
  const config = overrides ? parseConfig(overrides(base), file) : base;
  return { root: resolve(root), config, configHash: stableHash(config) };
}

async function readConfigJson(file: string): Promise<unknown> {
  if (!existsSync(file)) return {};
  // Windows editors often save a UTF-8 byte-order mark, which JSON.parse rejects: it carries no meaning, so drop it.
  const text = (await readTextOrFail(file, 'config', '')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column, reason } = describeJsonError(text, error);
    throw new UserError(`${file}:${line}:${column}: not valid JSON (${reason}). Fix the syntax there or delete the file to use the defaults.`);
  }
}

/** An override that is not an object adds nothing; the project's config was validated before. */
const asObject = (json: unknown): Record<string, unknown> => (json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {});

/** Walk up from `start` to the folder holding ragfolio.config.json (or package.json), like git finds its root. */
export function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

export function datasetDir(project: ProjectConfig): string {
  return resolve(project.root, project.config.dataset);
}

export function dataDir(project: ProjectConfig): string {
  return resolve(project.root, project.config.dataDir);
}
