import { describe, expect, test } from 'vitest';
import { continuedTo, createExtractiveAnswerer, retrievalStanding, scoreSentences } from '../../../starter/answer/extractive.ts';
import { supportScore } from '../../../starter/answer/support.ts';
import { NOT_FOUND } from '../../../starter/answer/types.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import type { Passage } from '../../../starter/corpus.ts';
import { Bm25Index } from '../../../starter/index/bm25.ts';
import type { RetrievedChunk } from '../../../starter/retrieve.ts';
import { tokenize } from '../../../starter/tokenize.ts';
import { passageChunk, passagesOf } from '../../helpers/passages.ts';

// One document of three passages, laid end to end with one space between them.
const texts = [
  'The bridge over the Blue River opened in 1999. It carries four lanes of traffic.',
  'Farmers in the valley grow apples and pears. The apple harvest was the largest in twenty years.',
  'A storm closed the harbor for three days. Fishing boats stayed at the dock.',
];
const passages = passagesOf(texts, { docId: 'town', title: '', idPrefix: 'p' });
const byId = new Map(passages.map((p) => [p.id, p]));
const passageChunks: Chunk[] = passages.map(passageChunk);
const bm25 = new Bm25Index(texts);
const idf = (t: string) => bm25.idf(t);
const retrieved = (chunks: Chunk[]): RetrievedChunk[] => chunks.map((chunk, i) => ({ chunk, score: 1 / (i + 1) }));

// The lexical scorer alone (today's naive baseline); the extra signals are tested one by one below.
const LEXICAL = { unit: 'sentences', secondSource: 0, contextWeight: 0, cuePenalty: 0, semanticWeight: 0, relatedWeight: 0, retrievalWeight: 0, sectionWindow: 1, confidence: 'support' } as const;
const answerer = (maxSentences = 2, minScore = 0.5) => createExtractiveAnswerer({ ...LEXICAL, maxSentences, minScore, idf, passages: byId });

describe('extractive answerer', () => {
  test('quotes the best-supported sentence and cites its passage', async () => {
    const answer = await answerer(1).answer('When did the bridge over the Blue River open?', retrieved(passageChunks));
    expect(answer).toMatchObject({ text: `The bridge over the Blue River opened in 1999. [p0]`, citations: ['p0'], abstained: false });
  });

  test(`abstains with "${NOT_FOUND}" when nothing reaches minScore`, async () => {
    const none = await answerer().answer('Who won the chess tournament in Oslo?', retrieved(passageChunks));
    expect(none).toMatchObject({ text: NOT_FOUND, citations: [], abstained: true });
    expect(NOT_FOUND).toBe('Not found in the corpus.');

    // "storm" is covered but "Oslo" and "chess" are not: some support, below a strict threshold.
    const question = 'Did the storm delay the chess tournament in Oslo?';
    const best = (await scoreSentences(question, retrieved(passageChunks), { ...LEXICAL, idf, passages: byId }))[0];
    expect(best?.passageId).toBe('p2');
    expect(best?.score).toBeGreaterThan(0);
    expect(best?.score).toBeLessThan(0.5);
    const strict = await answerer(2, 0.99).answer(question, retrieved(passageChunks));
    expect(strict).toMatchObject({ abstained: true, text: NOT_FOUND, citations: [] });
    // The same sentence is quoted once the threshold is at its support score (the answer's confidence).
    const lenient = await answerer(1, strict.confidence).answer(question, retrieved(passageChunks));
    expect(lenient).toMatchObject({ abstained: false, citations: ['p2'] });
    expect(lenient.text).toBe('A storm closed the harbor for three days. [p2]');
  });

  test('a question of only stop words, or no retrieved chunks, abstains', async () => {
    expect((await answerer().answer('What is it?', retrieved(passageChunks))).abstained).toBe(true);
    expect(await answerer().answer('When did the bridge open?', [])).toMatchObject({ text: NOT_FOUND, citations: [], abstained: true });
  });

  test('respects maxSentences, keeping the best first and citing each passage once', async () => {
    // The terms are spread over sentences of p0 (bridge, river) and p1 (apples, harvest): several have partial support.
    const question = 'apples harvest bridge river';
    const scored = await scoreSentences(question, retrieved(passageChunks), { ...LEXICAL, idf, passages: byId });
    expect(scored.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < scored.length; i++) expect(scored[i]!.score).toBeLessThanOrEqual(scored[i - 1]!.score);

    const one = await answerer(1, 0.1).answer(question, retrieved(passageChunks));
    expect(one.text.match(/\[p\d\]/g)).toHaveLength(1);
    const two = await answerer(2, 0.1).answer(question, retrieved(passageChunks));
    expect(two.text.match(/\[p\d\]/g)).toHaveLength(2);
    const three = await answerer(3, 0.1).answer(question, retrieved(passageChunks));
    expect(three.text.match(/\[p\d\]/g)).toHaveLength(3);
    expect(three.citations).toEqual([...new Set(three.citations)]);
    expect(new Set(three.citations)).toEqual(new Set(['p0', 'p1']));
    // Each quoted sentence is the start of the next answer: maxSentences only cuts the list.
    expect(two.text.startsWith(one.text)).toBe(true);
    expect(three.text.startsWith(two.text)).toBe(true);
  });

  test('a chunk spanning two passages cites the passage holding the chosen sentence', async () => {
    const doc = texts.join(' ');
    const straddling: Chunk = { id: 'town#0', docId: 'town', title: '', text: doc.slice(passages[0]!.start, passages[1]!.end), start: 0, end: passages[1]!.end, passageIds: ['p0', 'p1'] };
    const apples = await answerer(1).answer('Which fruit do the valley farmers grow?', retrieved([straddling]));
    expect(apples).toMatchObject({ text: 'Farmers in the valley grow apples and pears. [p1]', citations: ['p1'], abstained: false });
    const bridge = await answerer(1).answer('When did the Blue River bridge open?', retrieved([straddling]));
    expect(bridge.citations).toEqual(['p0']);

    // A chunk that starts mid-document: offsets are the chunk's start plus the sentence's offset in it.
    const tail: Chunk = { id: 'town#1', docId: 'town', title: '', text: doc.slice(passages[1]!.start + 45), start: passages[1]!.start + 45, end: doc.length, passageIds: ['p1', 'p2'] };
    expect((await answerer(1).answer('How long was the harbor closed by the storm?', retrieved([tail]))).citations).toEqual(['p2']);
    expect((await answerer(1).answer('Was the apple harvest the largest in twenty years?', retrieved([tail]))).citations).toEqual(['p1']);
  });

  test('sentences under four words are never quoted; the chunk title counts as shared context', async () => {
    const chunk: Chunk = { id: 'x', docId: 'x', title: '1991 State of the Union', text: 'Kuwait is free. The coalition liberated Kuwait in February.', start: 0, end: 58, passageIds: ['x'] };
    const flatIdf = () => 1;
    const scored = await scoreSentences('Kuwait 1991', [{ chunk, score: 1 }], { ...LEXICAL, idf: flatIdf, passages: new Map() });
    expect(scored.map((s) => s.text)).toEqual(['The coalition liberated Kuwait in February.']);
    // "1991" comes from the title, "kuwait" from the sentence.
    expect(scored[0]?.score).toBe(1);
    expect(scored[0]?.passageId).toBe('x');
  });

  test('ties between equally supported sentences go to the higher-ranked chunk', async () => {
    const a: Chunk = { id: 'a', docId: 'a', title: '', text: 'The river rose two metres overnight.', start: 0, end: 36, passageIds: ['a'] };
    const b: Chunk = { id: 'b', docId: 'b', title: '', text: 'The river rose two metres overnight.', start: 0, end: 36, passageIds: ['b'] };
    const flatIdf = () => 1;
    const first = await createExtractiveAnswerer({ ...LEXICAL, maxSentences: 1, minScore: 0.5, idf: flatIdf, passages: new Map() }).answer('river rose', [
      { chunk: b, score: 2 },
      { chunk: a, score: 1 },
    ]);
    expect(first.citations).toEqual(['b']);
  });

  test('an abstention keeps its confidence and the withheld answer (for the risk–coverage curve)', async () => {
    const question = 'Did the storm delay the chess tournament in Oslo?';
    const answer = await answerer(1, 0.9).answer(question, retrieved(passageChunks));
    expect(answer.abstained).toBe(true);
    expect(answer.withheld?.text).toBe('A storm closed the harbor for three days. [p2]');
    expect(answer.confidence).toBeGreaterThan(0);
    expect(answer.confidence).toBeLessThan(0.9);
  });

  test('contextWeight credits question terms that only the rest of the passage holds', async () => {
    // "harbor" is in p2's first sentence; "fishing boats" in its second: a question on both splits over them.
    const question = 'Did the fishing boats stay in the harbor?';
    const only = await scoreSentences(question, retrieved(passageChunks), { ...LEXICAL, idf, passages: byId });
    const withContext = await scoreSentences(question, retrieved(passageChunks), { ...LEXICAL, contextWeight: 0.5, idf, passages: byId });
    const boats = (list: { text: string; score: number }[]) => list.find((s) => s.text.startsWith('Fishing boats'))?.score ?? 0;
    expect(boats(withContext)).toBeGreaterThan(boats(only));
    // Sentences of other passages gain nothing: their passages do not hold "harbor".
    const apples = (list: { text: string; score: number }[]) => list.find((s) => s.text.startsWith('Farmers'))?.score ?? -1;
    expect(apples(withContext)).toBe(apples(only));
  });

  test('cuePenalty prefers a sentence holding the kind of thing asked for, and the short span answers it', async () => {
    // Lexically the first sentence covers every question term; only the second says how many days.
    const text = 'For days after the storm, the harbor was closed. The harbor was closed for three days.';
    const chunk: Chunk = { id: 'x', docId: 'x', title: '', text, start: 0, end: text.length, passageIds: ['x'] };
    const options = { ...LEXICAL, maxSentences: 1, minScore: 0.1, idf: () => 1, passages: new Map() };
    const question = 'How many days was the harbor closed after the storm?';
    const plain = await createExtractiveAnswerer(options).answer(question, [{ chunk, score: 1 }]);
    expect(plain.text).toBe('For days after the storm, the harbor was closed. [x]');
    expect(plain.short).toBeUndefined();
    const cued = await createExtractiveAnswerer({ ...options, cuePenalty: 0.3 }).answer(question, [{ chunk, score: 1 }]);
    expect(cued.text).toBe('The harbor was closed for three days. [x]');
    expect(cued.short).toBe('three');
  });

  test('semanticWeight blends in the question–sentence similarity it is given', async () => {
    const similarity = async (_q: string, sentences: readonly string[]) => sentences.map((s) => (s.includes('pears') ? 1 : 0));
    const question = 'What fruit is grown there?';
    const lexical = await answerer(1, 0).answer(question, retrieved(passageChunks));
    expect(lexical.citations).not.toEqual(['p1']);
    const semantic = await createExtractiveAnswerer({ ...LEXICAL, semanticWeight: 0.5, similarity, maxSentences: 1, minScore: 0, idf, passages: byId }).answer(question, retrieved(passageChunks));
    expect(semantic.text).toBe('Farmers in the valley grow apples and pears. [p1]');
  });

  test('a related form of a question word raises the confidence, never the choice of sentence', async () => {
    // "orchard" is not in the corpus; a made-up table relates it to "apple".
    const [orchard = '', apple = ''] = [...tokenize('orchard'), ...tokenize('apple')];
    const relatedTerms = new Map([[orchard, [apple]]]);
    const question = 'How big was the orchard harvest?';
    const plain = { ...LEXICAL, maxSentences: 1, minScore: 0, idf, passages: byId };
    const [without] = await scoreSentences(question, retrieved(passageChunks), plain);
    const [best] = await scoreSentences(question, retrieved(passageChunks), { ...plain, relatedWeight: 1, relatedTerms });
    expect(without?.text).toBe('The apple harvest was the largest in twenty years.');
    expect(best?.text).toBe(without?.text);
    expect(best?.score).toBe(without?.score);
    // "orchard" now counts as covered by "apple" in the sentence: its idf share is added to the confidence.
    const total = [...new Set(tokenize(question))].reduce((sum, t) => sum + idf(t), 0);
    expect(best?.confidence).toBeCloseTo((without?.score ?? 0) + idf(orchard) / total, 10);
    expect(without?.confidence).toBe(without?.score);
    const answer = await createExtractiveAnswerer({ ...plain, relatedWeight: 1, relatedTerms }).answer(question, retrieved(passageChunks));
    // The support score the answer reports reads the raised score.
    expect(answer.support?.sentence).toBe(best?.confidence);
    expect(answer.confidence).toBe(supportScore(answer.support!));
    // generator.confidence "sentence": the threshold reads the best run's own (raised) score instead.
    const sentenceScored = await createExtractiveAnswerer({ ...plain, relatedWeight: 1, relatedTerms, confidence: 'sentence' }).answer(question, retrieved(passageChunks));
    expect(sentenceScored.confidence).toBe(best?.confidence);
    expect(sentenceScored.confidence).not.toBe(answer.confidence);
  });

  test('Markdown is quoted clean under its heading path; a code block no sentence introduces only for command questions', async () => {
    const text = '## Mocking\n\n- Use the **MockAgent** class to intercept requests in tests.\n\n```js\nconst agent = new MockAgent(); agent.intercept(requests);\n```\n';
    const chunk: Chunk = { id: 'm', docId: 'm', title: 'Mocking', text, start: 0, end: text.length, passageIds: ['m'] };
    const answerer = createExtractiveAnswerer({ ...LEXICAL, maxSentences: 2, minScore: 0, idf: () => 1, passages: new Map() });
    const answer = await answerer.answer('Can MockAgent intercept requests?', [{ chunk, score: 1 }]);
    expect(answer.text).toBe('Mocking — Use the MockAgent class to intercept requests in tests. [m]');
    const command = await answerer.answer('What command intercepts requests with MockAgent?', [{ chunk, score: 1 }]);
    expect(command.text).toBe('Mocking — Use the MockAgent class to intercept requests in tests. [m]\n\n```js\nconst agent = new MockAgent(); agent.intercept(requests);\n```');
  });

  test('a sentence that introduces a block at the end of its passage is quoted with the block that opens the next one, citing both', async () => {
    const first = 'Intro text about installing the linter first. Install the linter like this:';
    const second = '```sh\nnpm install linter --save-dev\n```\n\nThen run it.';
    const ps: Passage[] = [
      { id: 'a', docId: 'd', title: 'Install', text: `# Install\n\n${first}`, start: 0, end: 100, meta: {} },
      { id: 'b', docId: 'd', title: 'Install', text: second, start: 101, end: 160, meta: {} },
    ];
    const chunk: Chunk = { id: 'a', docId: 'd', title: 'Install', text: ps[0]!.text, start: 0, end: 100, passageIds: ['a'] };
    const answerer = createExtractiveAnswerer({ ...LEXICAL, cuePenalty: 0.2, maxSentences: 1, minScore: 0, idf: () => 1, passages: new Map(ps.map((p) => [p.id, p])) });
    const answer = await answerer.answer('How do I install the linter?', [{ chunk, score: 1 }]);
    expect(answer.citations).toEqual(['a', 'b']);
    expect(answer.text).toBe('Install — Install the linter like this: [a] [b]\n\n```sh\nnpm install linter --save-dev\n```');
  });
});

describe('answerHolding: a run that holds what a part asks for', () => {
  const question = 'When did the bridge over the Blue River open?';
  const holding = (word: string) => (text: string) => text.includes(word);

  test('continuedTo: the run itself when it holds it, else the run and the nearest later unit that does, else undefined', () => {
    const run = { text: 'There was just one school.', passageId: 'p0' };
    const after = [
      { text: 'Parents asked for more.', passageId: 'p0' },
      { text: 'Today there are 1,700.', passageId: 'p1' },
      { text: 'We want 3,000.', passageId: 'p1' },
    ];
    expect(continuedTo(run, after, holding('one'))).toEqual([run]);
    // The holder is of another passage: two quotes; of the run's own: one, with an ellipsis for what lies between.
    expect(continuedTo(run, after, (text) => /\d/.test(text))).toEqual([run, after[1]]);
    expect(continuedTo(run, after, holding('Parents'))).toEqual([{ text: 'There was just one school. Parents asked for more.', passageId: 'p0' }]);
    expect(continuedTo({ ...run, passageId: 'p1' }, after.slice(1), holding('3,000'))).toEqual([{ text: 'There was just one school. … We want 3,000.', passageId: 'p1' }]);
    expect(continuedTo(run, after, holding('teachers'))).toBeUndefined();
  });

  test('the best run is continued to the next sentence of its passage, or to the first of the next passage, that holds it', async () => {
    const a = answerer(1, 0);
    const plain = await a.answer(question, retrieved(passageChunks.slice(0, 1)));
    expect(plain.text).toBe('The bridge over the Blue River opened in 1999. [p0]');
    expect(await a.answerHolding?.(question, retrieved(passageChunks.slice(0, 1)), holding('1999'))).toEqual(plain);
    expect(await a.answerHolding?.(question, retrieved(passageChunks.slice(0, 1)), holding('lanes'))).toMatchObject({
      text: 'The bridge over the Blue River opened in 1999. It carries four lanes of traffic. [p0]',
      citations: ['p0'],
    });
    // p0 ends the chunk: the next passage of the document (p1) is read for it, and cited.
    expect(await a.answerHolding?.(question, retrieved(passageChunks.slice(0, 1)), holding('apples'))).toMatchObject({
      text: 'The bridge over the Blue River opened in 1999. [p0] Farmers in the valley grow apples and pears. [p1]',
      citations: ['p0', 'p1'],
    });
    // Nothing after it holds it: the plain answer.
    expect(await a.answerHolding?.(question, retrieved(passageChunks.slice(0, 1)), holding('harbor'))).toEqual(plain);
  });
});

/** A passage-mode chunk of one Markdown text. */
const markdownChunk = (id: string, title: string, text: string): Chunk => ({ id, docId: id, title, text, start: 0, end: text.length, passageIds: [id] });
const docsAnswerer = (options: Partial<{ retrievalWeight: number; sectionWindow: number }> = {}) =>
  createExtractiveAnswerer({ ...LEXICAL, maxSentences: 1, minScore: 0, idf: () => 1, passages: new Map(), ...options });

describe('extractive answerer on documentation', () => {
  test('retrievalStanding: min–max normalised scores, or the rank when the scores are all equal', () => {
    const list = (scores: number[]) => scores.map((score, i) => ({ chunk: markdownChunk(`c${i}`, '', 'x'), score }));
    expect(retrievalStanding(list([3, 2, 1.5, 1]))).toEqual([1, 0.5, 0.25, 0]);
    expect(retrievalStanding(list([0.4, 0.4, 0.4]))).toEqual([1, 0.5, 0]);
    expect(retrievalStanding(list([0.7]))).toEqual([1]);
  });

  test('retrievalWeight lets the first-retrieved Markdown section win a near tie; prose ignores it', async () => {
    // The second passage's sentence covers the question's words a little better, the retriever ranked the first higher.
    const top = markdownChunk('top', 'Server', '## Server\n\nThe `keepAliveTimeout` option closes idle sockets after a delay.');
    const lower = markdownChunk('lower', 'Server', '## Server\n\nThe `keepAliveTimeout` option closes idle keep-alive sockets after a delay.');
    const question = 'What does keepAliveTimeout do with idle keep-alive sockets?';
    const ranked = [
      { chunk: top, score: 2 },
      { chunk: lower, score: 1 },
    ];
    expect((await docsAnswerer().answer(question, ranked)).citations).toEqual(['lower']);
    const prior = await docsAnswerer({ retrievalWeight: 0.5 }).answer(question, ranked);
    expect(prior.citations).toEqual(['top']);
    // The prior picks the quote; the sentence score the support reads stays the quoted run's own.
    const [best] = await scoreSentences(question, [{ chunk: top, score: 2 }], { ...LEXICAL, idf: () => 1, passages: new Map() });
    expect(prior.support?.sentence).toBe(best?.confidence);

    const prose = (id: string, text: string): Chunk => ({ id, docId: id, title: '', text, start: 0, end: text.length, passageIds: [id] });
    const speech = [
      { chunk: prose('a', 'We will cut the tax on small farms this year.'), score: 2 },
      { chunk: prose('b', 'We will cut the tax on small family farms this year.'), score: 1 },
    ];
    const asked = 'Will you cut the tax on small family farms?';
    expect((await docsAnswerer({ retrievalWeight: 0.5 }).answer(asked, speech)).citations).toEqual(['b']);
  });

  test('sectionWindow quotes the best sentence with its neighbours in its section, never across a heading', async () => {
    const text = [
      '## `bodyLimit`',
      '',
      'Defines the maximum payload the server accepts. The limit is counted in bytes. Larger bodies are rejected with status 413.',
      '',
      '## `maxParamLength`',
      '',
      'Sets a custom length for parameters in parametric routes.',
    ].join('\n');
    const chunk = markdownChunk('f', 'Factory', text);
    const question = 'Is the bodyLimit payload limit counted in bytes?';
    expect((await docsAnswerer().answer(question, [{ chunk, score: 1 }])).text).toBe('Factory › `bodyLimit` — The limit is counted in bytes. [f]');
    // One neighbour after, then one before, up to three units; the next heading's sentence never joins.
    const widened = await docsAnswerer({ sectionWindow: 3 }).answer(question, [{ chunk, score: 1 }]);
    expect(widened.text).toBe('Factory › `bodyLimit` — Defines the maximum payload the server accepts. The limit is counted in bytes. Larger bodies are rejected with status 413. [f]');
    const all = await docsAnswerer({ sectionWindow: 10 }).answer(question, [{ chunk, score: 1 }]);
    expect(all.text).toBe(widened.text);
    // The confidence is the chosen run's, however many sentences are shown.
    expect(widened.confidence).toBe((await docsAnswerer().answer(question, [{ chunk, score: 1 }])).confidence);
  });

  test('a how-to question gets the code block of the section the quote comes from', async () => {
    const text = [
      '## Hooks',
      '',
      'Hooks let you listen to specific events in the request lifecycle.',
      '',
      'Register them on the instance before the server starts listening.',
      '',
      '```js',
      "fastify.addHook('onRequest', async (request, reply) => {})",
      '```',
      '',
      '## Routes',
      '',
      '```js',
      "fastify.get('/', handler)",
      '```',
    ].join('\n');
    const chunk = markdownChunk('h', 'Hooks', text);
    const howTo = await docsAnswerer().answer('How do I listen to lifecycle events?', [{ chunk, score: 1 }]);
    expect(howTo.text).toBe("Hooks — Hooks let you listen to specific events in the request lifecycle. [h]\n\n```js\nfastify.addHook('onRequest', async (request, reply) => {})\n```");
    // Not a how-to question: the sentence alone.
    expect((await docsAnswerer().answer('What do hooks listen to in the lifecycle?', [{ chunk, score: 1 }])).text).toBe(
      'Hooks — Hooks let you listen to specific events in the request lifecycle. [h]',
    );
  });
});

describe('ranked runs shared between answerers (an experiment grid)', () => {
  test('answerers that differ only in minScore rank once between them and answer as each would alone', async () => {
    let calls = 0;
    const similarity = async (_question: string, sentences: readonly string[]) => {
      calls++;
      return sentences.map((s) => s.length / 100);
    };
    const options = (minScore: number) => ({ ...LEXICAL, unit: 'window', semanticWeight: 0.5, maxSentences: 2, minScore, idf, passages: byId, similarity }) as const;
    const question = 'When did the bridge over the Blue River open?';
    const alone = [await createExtractiveAnswerer(options(0)).answer(question, retrieved(passageChunks)), await createExtractiveAnswerer(options(2)).answer(question, retrieved(passageChunks))];
    expect(calls).toBe(2);
    const shared = new Map();
    const together = [
      await createExtractiveAnswerer(options(0), shared).answer(question, retrieved(passageChunks)),
      await createExtractiveAnswerer(options(2), shared).answer(question, retrieved(passageChunks)),
    ];
    expect(calls).toBe(3);
    expect(together).toEqual(alone);
    expect(together.map((a) => a.abstained)).toEqual([false, true]);
  });
});
