import { describe, expect, test } from 'vitest';
import { READINGS_KEPT, readChunk } from '../../../starter/answer/chunk-reading.ts';
import { createExtractiveAnswerer, type ScoredSentence, type SentenceScoring, scoreSentences } from '../../../starter/answer/extractive.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import type { Passage } from '../../../starter/corpus.ts';
import { Bm25Index } from '../../../starter/index/bm25.ts';
import { passageChunk, passagesOf } from '../../helpers/passages.ts';

// A documentation page in four passages: headings, an option's `Default:` line, a table, code blocks, and a
// sentence ending a passage that introduces the code block starting the next one.
const texts = [
  '## Installation\n\nInstall the package with npm before you start the server. It needs Node.js 20 or later.\n\n```sh\nnpm install fastlane\n```',
  '## Options\n\n### `bodyLimit`\n\nThe largest request body the server accepts, in bytes.\n\nDefault: `1048576`\n\n| option | meaning |\n| --- | --- |\n| `logger` | turns request logging on |\n| `trustProxy` | reads the forwarded headers |',
  '## Plugins\n\nA plugin adds routes and decorators to the server. You register a plugin like this:',
  '```js\napp.register(require("./routes"))\n```\n\nThe routes are then served under the plugin prefix set by its options.',
];
// Plain prose, whose candidates are the same for every asked type.
const speech = 'In 1999 the server handled four million requests a day. Ada Lovelace wrote the first guide to it. The team installs a new release every spring.';
const passages = [...passagesOf(texts, { docId: 'doc', title: 'Server guide', idPrefix: 'doc-' }), ...passagesOf([speech], { docId: 'speech', title: 'Annual report', idPrefix: 'speech-' })];
// Passage chunks, and one split chunk straddling the first two passages.
const chunks: Chunk[] = [
  ...passages.map(passageChunk),
  {
    id: 'doc#0',
    docId: 'doc',
    title: 'Server guide',
    text: `${texts[0]} ${texts[1]}`,
    start: 0,
    end: (passages[1] as Passage).end,
    passageIds: ['doc-0', 'doc-1'],
  },
];
const bm25 = new Bm25Index([...texts, speech]);
const relatedTerms = new Map([
  ['request', ['demand']],
  ['instal', ['set']],
]);
// Deterministic and different per (question, unit), as the sentence vectors would be.
const similarity = async (question: string, units: readonly string[]) => units.map((u) => ((question.length * 31 + u.length * 17) % 100) / 100);
const scoring = (passageMap: ReadonlyMap<string, Passage>): SentenceScoring => ({
  contextWeight: 0.5,
  cuePenalty: 0.2,
  semanticWeight: 0.4,
  relatedWeight: 1,
  relatedTerms,
  retrievalWeight: 0.2,
  idf: (t) => bm25.idf(t),
  passages: passageMap,
  similarity,
});
// Questions of every kind the reading keeps apart: how-to (code units), defaults and numbers (`Default:` lines), other.
const questions = [
  'How do I install the package with npm?',
  'What is the default bodyLimit of the server?',
  'Which option turns request logging on?',
  'How many bytes does the server accept in a request body?',
  'How do I register a plugin with routes?',
  'Who wrote the server guide?',
  'When did the server handle four million requests a day?',
];
const retrievedAll = chunks.map((chunk, i) => ({ chunk, score: 1 / (i + 1) }));

describe('chunk reading', () => {
  test('scores as a reading made afresh for each question, whatever was read before', async () => {
    const shared = new Map(passages.map((p) => [p.id, p]));
    const seen: ScoredSentence[] = [];
    for (const window of [1, 2, 3]) {
      for (const question of [...questions, ...questions.slice().reverse()]) {
        // A new passage map has no readings yet: everything is read for this question alone.
        const fresh = await scoreSentences(question, retrievedAll, scoring(new Map(shared)), window);
        expect(await scoreSentences(question, retrievedAll, scoring(shared), window)).toEqual(fresh);
        seen.push(...fresh);
      }
    }
    // The questions reach every part of a reading: a block from the next passage, a section's code, a `Default:` line, a table row, a run of three.
    expect(seen.some((s) => s.attachmentPassageId === 'doc-3')).toBe(true);
    expect(seen.some((s) => s.sectionCode !== undefined)).toBe(true);
    expect(seen.some((s) => s.text.startsWith('Default:'))).toBe(true);
    expect(seen.some((s) => s.text.includes(' · '))).toBe(true);
    expect(seen.some((s) => s.size === 3)).toBe(true);
    expect(seen.some((s) => s.passageId === 'speech-0')).toBe(true);
  });

  test('an answer holding what a part asks is the same from a warm reading', async () => {
    const shared = new Map(passages.map((p) => [p.id, p]));
    const options = (passageMap: ReadonlyMap<string, Passage>) =>
      ({ ...scoring(passageMap), unit: 'window', maxSentences: 2, secondSource: 0.5, sectionWindow: 3, minScore: 0, confidence: 'sentence' }) as const;
    const holdsFigure = (text: string) => /\d/.test(text);
    for (const question of questions) {
      const fresh = await createExtractiveAnswerer(options(new Map(shared))).answerHolding?.(question, retrievedAll, holdsFigure);
      expect(await createExtractiveAnswerer(options(shared)).answerHolding?.(question, retrievedAll, holdsFigure)).toEqual(fresh);
    }
  });

  test('is made once per chunk and passage map', () => {
    const byId = new Map(passages.map((p) => [p.id, p]));
    const chunk = chunks[1] as Chunk;
    expect(readChunk(chunk, byId)).toBe(readChunk(chunk, byId));
    expect(readChunk(chunk, new Map(byId))).not.toBe(readChunk(chunk, byId));
  });

  test(`keeps the ${READINGS_KEPT} chunks read last`, () => {
    const byId = new Map<string, Passage>();
    const chunk = (i: number): Chunk => ({ id: `c${i}`, docId: 'd', title: '', text: `Sentence number ${i} of the test.`, start: 0, end: 30, passageIds: [] });
    const first = chunk(0);
    const reading = readChunk(first, byId);
    for (let i = 1; i < READINGS_KEPT; i++) readChunk(chunk(i), byId);
    // Read again, the first becomes the latest: the next new chunk drops the second instead.
    expect(readChunk(first, byId)).toBe(reading);
    readChunk(chunk(READINGS_KEPT), byId);
    expect(readChunk(first, byId)).toBe(reading);
    for (let i = 0; i < READINGS_KEPT; i++) readChunk(chunk(READINGS_KEPT + 1 + i), byId);
    expect(readChunk(first, byId)).not.toBe(reading);
  });
});
