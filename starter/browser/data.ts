import { z } from 'zod';
import { parseRelatedTerms, type RelatedTerms } from '../answer/related-terms.ts';
import { answerUnits, unitInContext } from '../answer/units.ts';
import { type Chunk, chunkCorpus, chunkSchema } from '../chunk.ts';
import { CONFIDENCE_SCORES } from '../config.ts';
import { type Passage, passageSchema } from '../corpus.ts';
import { decodeVectors } from './vectors.ts';

export const DEMO_DATA_VERSION = 1;

/** Every file the page reads, relative to the demo folder. */
export const DEMO_FILES = {
  manifest: 'data/manifest.json',
  corpus: 'data/corpus.json',
  chunks: 'data/chunks.json',
  passageVectors: 'data/passages.vec',
  sentenceVectors: 'data/sentences.vec',
  /** The WordNet-related forms the answerer's confidence reads, pruned to the corpus vocabulary, and their licence. */
  relatedTerms: 'data/related-terms.txt',
  relatedTermsLicense: 'data/WORDNET-LICENSE.txt',
  model: 'model/model.json',
  vocabulary: 'model/vocab.json',
  wasm: 'wasm/',
} as const;

const retrieverSchema = z.object({
  kind: z.enum(['dense', 'bm25', 'hybrid']),
  k: z.number().int().positive(),
  candidates: z.number().int().positive(),
  fusion: z.object({
    method: z.enum(['rrf', 'convex', 'rerank']),
    rrfK: z.number(),
    denseWeight: z.number(),
    bm25Weight: z.number(),
    alpha: z.number(),
    normalization: z.enum(['minmax', 'zscore']),
  }),
  bm25: z.object({ k1: z.number(), b: z.number() }),
});

const generatorSchema = z.object({
  provider: z.literal('extractive'),
  unit: z.enum(['sentences', 'window']),
  maxSentences: z.number().int().positive(),
  sectionWindow: z.number().int().positive(),
  secondSource: z.number(),
  minScore: z.number(),
  contextWeight: z.number(),
  cuePenalty: z.number(),
  semanticWeight: z.number(),
  relatedWeight: z.number(),
  confidence: z.enum(CONFIDENCE_SCORES),
  retrievalWeight: z.number(),
});

/** data/manifest.json: what the page needs besides the files themselves. */
export const demoManifestSchema = z.object({
  version: z.literal(DEMO_DATA_VERSION),
  project: z.string(),
  model: z.string(),
  dims: z.number().int().positive(),
  encoding: z.enum(['float32', 'int8']),
  /** Passage mode derives chunks from the corpus in the page; split mode ships data/chunks.json. */
  chunksShipped: z.boolean(),
  counts: z.object({ passages: z.number().int(), chunks: z.number().int(), sentences: z.number().int() }),
  retriever: retrieverSchema,
  generator: generatorSchema,
  /** The planner, as in the app (absent in sites built before it: off). */
  planner: z.object({ enabled: z.boolean(), partMinConfidence: z.number().optional() }).optional(),
  /** A few questions for the page to offer. */
  examples: z.array(z.string()),
});
export type DemoManifest = z.infer<typeof demoManifestSchema>;

/** What the page exposes as `window.ragfolioDemo` once it is ready (for the browser test and the bench). */
export interface DemoHook {
  embedQuery(text: string): Promise<number[]>;
  /** Since the script started: data downloaded and decoded, then BM25 and the rest built; the model loads meanwhile and is ready at modelMs. */
  timings: { loadMs: number; buildMs: number; modelMs: number };
}

/** What the page loads: the corpus, its chunks in index order, and the vectors row by row. */
export interface DemoData {
  manifest: DemoManifest;
  passages: Passage[];
  chunks: Chunk[];
  passageVectors: Float32Array;
  /** One row per text of `sentenceTexts(chunks)`, in that order. */
  sentenceVectors: Float32Array;
  /** Shipped only when the answerer reads them (relatedWeight > 0). */
  relatedTerms?: RelatedTerms;
}

/**
 * The distinct sentences the extractive answerer can score, in a fixed order: the site ships their vectors
 * in this order and the page rebuilds the list rather than download the texts twice.
 */
export function sentenceTexts(chunks: readonly Pick<Chunk, 'text' | 'title'>[]): string[] {
  const seen = new Set<string>();
  for (const chunk of chunks) for (const u of answerUnits(chunk.text, chunk.title)) seen.add(unitInContext(u));
  return [...seen];
}

/** Read and check the demo's files through `read` (fetch in the page, the file system in tests and the bench). */
export async function loadDemoData(read: (file: string) => Promise<Uint8Array>): Promise<DemoData> {
  const json = async (file: string): Promise<unknown> => JSON.parse(new TextDecoder().decode(await read(file)));
  const manifest = demoManifestSchema.parse(await json(DEMO_FILES.manifest));
  const [corpus, chunkList, passageBytes, sentenceBytes, relatedBytes] = await Promise.all([
    json(DEMO_FILES.corpus),
    manifest.chunksShipped ? json(DEMO_FILES.chunks) : undefined,
    read(DEMO_FILES.passageVectors),
    read(DEMO_FILES.sentenceVectors),
    manifest.generator.relatedWeight > 0 ? read(DEMO_FILES.relatedTerms) : undefined,
  ]);
  const passages = passageSchema.array().parse(corpus);
  // Passage mode: the app's own chunker makes the chunks, so the page downloads each text once.
  const chunks = chunkList === undefined ? await chunkCorpus(passages, { mode: 'passage' }) : chunkSchema.array().parse(chunkList);
  return {
    manifest,
    passages,
    chunks,
    passageVectors: decodeVectors(passageBytes, manifest.dims, manifest.encoding),
    sentenceVectors: decodeVectors(sentenceBytes, manifest.dims, manifest.encoding),
    ...(relatedBytes ? { relatedTerms: parseRelatedTerms(new TextDecoder().decode(relatedBytes)) } : {}),
  };
}
