import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.ts';
import { stableHash } from './hash.ts';
import { describeZodError, readTextOrFail } from './jsonl.ts';

export const CONFIG_FILE = 'ragfolio.config.json';

const chunkSchema = z.discriminatedUnion('mode', [
  // Each corpus passage is one chunk: gold passages and chunks line up exactly.
  z.object({ mode: z.literal('passage') }),
  // Re-split each source document with LangChain's RecursiveCharacterTextSplitter (sizes in characters).
  z.object({ mode: z.literal('split'), size: z.number().int().min(50), overlap: z.number().int().min(0) }),
]);

const embeddingsSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('local'), model: z.literal('use-lite').default('use-lite'), workers: z.number().int().min(1).max(16).default(2) }),
  z.object({ provider: z.literal('openai'), model: z.string().default('text-embedding-3-small') }),
]);

const generatorSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('extractive'),
    maxSentences: z.number().int().min(1).max(10).default(2),
    /** Below this support score the answerer says "not found in the corpus". */
    minScore: z.number().min(0).max(1).default(0.5),
  }),
  z.object({
    provider: z.literal('openai'),
    model: z.string().default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).default(0),
    timeoutMs: z.number().int().positive().default(30_000),
    maxRetries: z.number().int().min(0).default(3),
  }),
]);

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
        /** A significant drop in any of these fails `compare` (exit 1) and the regression test. */
        metrics: z.array(z.string()).default(['hit@5', 'ndcg@10', 'contains']),
        /** Drops smaller than this (absolute) never fail the gate, even when significant. */
        tolerance: z.number().min(0).default(0),
      })
      .strict()
      .default({ metrics: ['hit@5', 'ndcg@10', 'contains'], tolerance: 0 }),
    /** LLM-judged faithfulness and correctness; needs OPENAI_API_KEY or OPENAI_BASE_URL. */
    judge: z.object({ model: z.string() }).strict().optional(),
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
    retriever: z
      .object({
        kind: z.enum(['dense', 'bm25', 'hybrid']).default('hybrid'),
        k: z.number().int().min(1).max(100).default(5),
        /** How many candidates each retriever contributes before fusion. */
        candidates: z.number().int().min(1).max(1000).default(50),
        fusion: z
          .object({
            /** The RRF constant from Cormack et al. (2009). */
            rrfK: z.number().positive().default(60),
            denseWeight: z.number().min(0).default(1),
            bm25Weight: z.number().min(0).default(1),
          })
          .strict()
          .default({ rrfK: 60, denseWeight: 1, bm25Weight: 1 }),
        bm25: z
          .object({ k1: z.number().min(0).default(0.9), b: z.number().min(0).max(1).default(0.4) })
          .strict()
          .default({ k1: 0.9, b: 0.4 }),
      })
      .strict()
      .default({ kind: 'hybrid', k: 5, candidates: 50, fusion: { rrfK: 60, denseWeight: 1, bm25Weight: 1 }, bm25: { k1: 0.9, b: 0.4 } }),
    generator: generatorSchema.default({ provider: 'extractive', maxSentences: 2, minScore: 0.5 }),
    eval: evalSchema.default(evalSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ChunkConfig = Config['chunk'];
export type RetrieverConfig = Config['retriever'];

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

export async function loadProjectConfig(root: string, overrides?: (config: Config) => Config): Promise<ProjectConfig> {
  const file = join(root, CONFIG_FILE);
  let json: unknown = {};
  if (existsSync(file)) {
    const text = await readTextOrFail(file, 'config', '');
    try {
      json = JSON.parse(text);
    } catch (error) {
      const where = /line (\d+)/.exec(String(error))?.[1];
      throw new UserError(`${file}${where ? `:${where}` : ''}: not valid JSON. Fix the syntax or delete the file to use the defaults.`);
    }
  }
  const base = parseConfig(json, file);
  const config = overrides ? parseConfig(overrides(base), file) : base;
  return { root: resolve(root), config, configHash: stableHash(config) };
}

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
