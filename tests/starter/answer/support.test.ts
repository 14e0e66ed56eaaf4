import { describe, expect, test } from 'vitest';
import { createExtractiveAnswerer } from '../../../starter/answer/extractive.ts';
import { SUPPORT_FEATURES, type SupportFeatures, type SupportModel, supportFeatures, supportScore } from '../../../starter/answer/support.ts';
import { SUPPORT_MODEL } from '../../../starter/answer/support-model.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import type { Passage } from '../../../starter/corpus.ts';
import { Bm25Index } from '../../../starter/index/bm25.ts';
import type { RetrievedChunk } from '../../../starter/retrieve.ts';
import { tokenize } from '../../../starter/tokenize.ts';

const typical: Required<SupportFeatures> = { sentence: 0.6, bm25: 0.8, margin: 0.3, typeMet: 1 };

describe('support score', () => {
  test('the committed model weighs no feature negatively, so the support never falls when a feature rises', () => {
    for (const name of SUPPORT_FEATURES) {
      expect(SUPPORT_MODEL.features[name].weight).toBeGreaterThanOrEqual(0);
      expect(SUPPORT_MODEL.features[name].sd).toBeGreaterThan(0);
    }
  });

  test.each(SUPPORT_FEATURES)('is monotone in %s', (name) => {
    const scores = [-1, 0, 0.25, 0.5, 0.75, 1, 2].map((x) => supportScore({ ...typical, [name]: x }));
    for (const [i, s] of scores.entries()) if (i > 0) expect(s).toBeGreaterThanOrEqual(scores[i - 1] as number);
    // A feature the fit gave weight rises the score strictly.
    if (SUPPORT_MODEL.features[name].weight > 0) expect(scores.at(-1)).toBeGreaterThan(scores[0] as number);
  });

  test('stays inside (0, 1) at extreme features, and a missing retrieval signal counts at its fitted mean', () => {
    const low = supportScore({ sentence: -1, bm25: 0, margin: 0, typeMet: 0 });
    const high = supportScore({ sentence: 2, bm25: 3, margin: 3, typeMet: 1 });
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
    expect(low).toBeLessThan(high);
    const { bm25: _b, margin: _m, ...noSignals } = typical;
    expect(supportScore(noSignals)).toBeCloseTo(supportScore({ ...typical, bm25: SUPPORT_MODEL.features.bm25.mean, margin: SUPPORT_MODEL.features.margin.mean }), 12);
  });

  test('reads the model it is given: σ(intercept) when every feature sits at its mean', () => {
    const model: SupportModel = {
      intercept: 0.5,
      features: { sentence: { mean: 0.6, sd: 0.1, weight: 2 }, bm25: { mean: 1, sd: 0.5, weight: 1 }, margin: { mean: 0.3, sd: 0.2, weight: 1 }, typeMet: { mean: 1, sd: 1, weight: 1 } },
    };
    expect(supportScore({ sentence: 0.6, bm25: 1, margin: 0.3, typeMet: 1 }, model)).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
    expect(supportScore({ sentence: 0.7, bm25: 1, margin: 0.3, typeMet: 1 }, model)).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 12);
  });
});

describe('support features', () => {
  const chunk = (id: string, text: string): Chunk => ({ id, docId: id, title: '', text, start: 0, end: text.length, passageIds: [id] });
  const idf = (t: string) => (t === tokenize('bodyLimit')[0] ? 3 : 1);

  test('BM25 over the question idf mass, the top-to-last margin, and whether the asked type was met', () => {
    const retrieved: RetrievedChunk[] = [
      { chunk: chunk('a', 'x'), score: 2, signals: { bm25: 4 } },
      { chunk: chunk('b', 'y'), score: 1, signals: { bm25: 1 } },
      // Outside the BM25 candidates: it matched less than any of them.
      { chunk: chunk('c', 'z'), score: 0.5 },
    ];
    // "default" and "bodylimit" are the question's terms: idf mass 1 + 3 = 4.
    const f = supportFeatures({ question: 'What is the default bodyLimit?', retrieved, best: { confidence: 0.7 }, idf, typeMissed: true });
    expect(f).toEqual({ sentence: 0.7, bm25: 1, margin: 1, typeMet: 0 });
  });

  test('no BM25 scores reported (a dense retriever): the BM25 features are absent', () => {
    const f = supportFeatures({ question: 'What is the default bodyLimit?', retrieved: [{ chunk: chunk('a', 'x'), score: 0.9 }], best: { confidence: 0.7 }, idf, typeMissed: false });
    expect(f).toEqual({ sentence: 0.7, typeMet: 1 });
  });
});

describe('the extractive answerer reports the support score as its confidence', () => {
  const texts = [
    'The bodyLimit option sets the largest request body the server accepts. Default: 1 MiB.',
    'Hooks run at points of the request lifecycle, such as onRequest and preHandler.',
    'Plugins are registered with register and are encapsulated by default.',
    'The logger option turns on request logging in JSON.',
  ];
  const passages = new Map<string, Passage>(texts.map((text, i) => [`p${i}`, { id: `p${i}`, docId: `d${i}`, title: '', text, start: 0, end: text.length, meta: {} }]));
  const chunks: Chunk[] = texts.map((text, i) => ({ id: `p${i}`, docId: `d${i}`, title: '', text, start: 0, end: text.length, passageIds: [`p${i}`] }));
  const bm25 = new Bm25Index(texts);
  // What the retriever gives the answerer: the BM25 list with its raw scores.
  const retrieve = (q: string): RetrievedChunk[] => bm25.search(q, 3).map((h) => ({ chunk: chunks[h.index] as Chunk, score: h.score, signals: { bm25: h.score } }));
  const answerer = createExtractiveAnswerer({
    unit: 'window',
    maxSentences: 2,
    secondSource: 0,
    minScore: 0,
    contextWeight: 0.5,
    cuePenalty: 0.2,
    semanticWeight: 0,
    relatedWeight: 0,
    confidence: 'support',
    retrievalWeight: 0,
    sectionWindow: 1,
    idf: (t) => bm25.idf(t),
    passages,
  });

  test('an answerable question scores above an unanswerable one on the same corpus', async () => {
    const answerable = await answerer.answer('Which option sets the largest request body the server accepts?', retrieve('Which option sets the largest request body the server accepts?'));
    const unanswerable = await answerer.answer('Which option sets the GraphQL subscription timeout of the server?', retrieve('Which option sets the GraphQL subscription timeout of the server?'));
    expect(answerable.support).toBeDefined();
    expect(unanswerable.support).toBeDefined();
    expect(answerable.confidence).toBe(supportScore(answerable.support as SupportFeatures));
    expect(answerable.confidence).toBeGreaterThan(unanswerable.confidence as number);
  });
});
