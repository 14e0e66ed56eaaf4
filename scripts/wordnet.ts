/**
 * Parse the WordNet 3.1 database files (index.* and data.* of each part of speech) and build the related-terms
 * table the extractive answerer reads (starter/answer/related-terms.ts). Kit only: scripts/build-related-terms.ts
 * runs it at development time, and projects get the built table.
 */
import type { RelatedTerms } from '../starter/answer/related-terms.ts';

export const WORDNET_PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
export type WordNetPart = (typeof WORDNET_PARTS)[number];
export type WordNetFileName = `${'index' | 'data'}.${WordNetPart}`;

/** A pointer of a synset: `source`/`target` are 1-based word numbers, both 0 for a semantic (whole-synset) pointer. */
export interface WordNetPointer {
  symbol: string;
  /** Key of the target synset (see synsetKey). */
  synset: string;
  source: number;
  target: number;
}

export interface WordNetSynset {
  /** Lower-case lemmas, multi-word ones with "_" ("physical_entity"). */
  words: readonly string[];
  pointers: readonly WordNetPointer[];
}

export interface WordNet {
  synsets: ReadonlyMap<string, WordNetSynset>;
  /** Every lemma of every part of speech, with its synsets' keys in WordNet's sense order (most frequent first). */
  index: readonly { lemma: string; synsets: readonly string[] }[];
}

/** Adjective satellites (pos "s") live in data.adj with the head adjectives. */
const PART_OF: Readonly<Record<string, WordNetPart>> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };
const synsetKey = (part: WordNetPart, offset: string) => `${part}:${offset}`;
/** Data files write "TV" and adjectives with a position marker ("big(a)"); index files, "tv" and "big". */
const lemmaOf = (word: string) => word.replace(/\(.*\)$/, '').toLowerCase();

/** Parse the eight database files. Licence header lines (two leading spaces) are skipped; any other malformed line throws. */
export function parseWordNet(files: Readonly<Record<WordNetFileName, string>>): WordNet {
  const synsets = new Map<string, WordNetSynset>();
  const index: { lemma: string; synsets: readonly string[] }[] = [];
  for (const part of WORDNET_PARTS) {
    // synset_offset lex_filenum ss_type w_cnt [word lex_id]… p_cnt [symbol offset pos source/target]… [frames] | gloss
    forEachRecord(files, `data.${part}`, (fields, fail) => {
      const offset = offsetAt(fields, 0, fail);
      const words: string[] = [];
      let i = 4;
      for (let w = hex(fields[3], fail); w > 0; w--, i += 2) words.push(lemmaOf(at(fields, i, fail)));
      const pointers: WordNetPointer[] = [];
      const pointerCount = decimal(fields[i], fail);
      i++;
      for (let p = pointerCount; p > 0; p--, i += 4) {
        const targetPart = PART_OF[at(fields, i + 2, fail)] ?? fail(`part of speech "${fields[i + 2]}"`);
        const sourceTarget = at(fields, i + 3, fail);
        if (sourceTarget.length !== 4) fail(`source/target "${sourceTarget}"`);
        pointers.push({
          symbol: at(fields, i, fail),
          synset: synsetKey(targetPart, offsetAt(fields, i + 1, fail)),
          source: hex(sourceTarget.slice(0, 2), fail),
          target: hex(sourceTarget.slice(2), fail),
        });
      }
      synsets.set(synsetKey(part, offset), { words, pointers });
    });
    // lemma pos synset_cnt p_cnt [ptr_symbol]… sense_cnt tagsense_cnt [synset_offset]…
    forEachRecord(files, `index.${part}`, (fields, fail) => {
      const synsetCount = decimal(fields[2], fail);
      const pointerCount = decimal(fields[3], fail);
      if (fields.length !== 6 + pointerCount + synsetCount) fail(`record (${fields.length} fields for ${synsetCount} synsets and ${pointerCount} pointer kinds)`);
      const first = fields.length - synsetCount;
      index.push({ lemma: at(fields, 0, fail), synsets: fields.slice(first).map((_, k) => synsetKey(part, offsetAt(fields, first + k, fail))) });
    });
  }
  return { synsets, index };
}

type Fail = (what: string) => never;

function forEachRecord(files: Readonly<Record<WordNetFileName, string>>, file: WordNetFileName, read: (fields: string[], fail: Fail) => void): void {
  for (const [i, line] of files[file].split('\n').entries()) {
    if (line === '' || line.startsWith('  ')) continue;
    const fail: Fail = (what) => raise(`WordNet ${file}, line ${i + 1}: malformed ${what}: "${line.slice(0, 80)}"`);
    read((line.split(' | ')[0] ?? '').trim().split(/\s+/), fail);
  }
}

const at = (fields: readonly string[], i: number, fail: Fail): string => fields[i] ?? fail(`record (no field ${i + 1})`);
const offsetAt = (fields: readonly string[], i: number, fail: Fail): string => {
  const offset = at(fields, i, fail);
  return /^\d{8}$/.test(offset) ? offset : fail(`synset offset "${offset}"`);
};
const hex = (text: string | undefined, fail: Fail): number => (text !== undefined && /^[0-9a-f]+$/.test(text) ? Number.parseInt(text, 16) : fail(`hex number "${text}"`));
const decimal = (text: string | undefined, fail: Fail): number => (text !== undefined && /^\d+$/.test(text) ? Number.parseInt(text, 10) : fail(`number "${text}"`));

function raise(message: string): never {
  throw new Error(message);
}

/** How many of a lemma's senses count: WordNet orders them by tagged frequency, and rare senses relate too much ("job" → "marijuana"). */
const MAX_SENSES = 2;
/** Hypernym, hyponym, similar-to (adjective clusters), derivationally related form. */
const FOLLOWED = new Set(['@', '~', '&', '+']);

/**
 * Stem → related stems: for each lemma that `tokenize` turns into exactly one stem, the single-stem words of its
 * first senses' synsets and of the synsets their followed pointers reach — every word for a semantic pointer,
 * the target word for a lexical pointer from this lemma. Stems of different lemmas merge.
 */
export function buildRelatedTerms(wordnet: WordNet, tokenize: (text: string) => readonly string[]): RelatedTerms {
  // The same words come back in many synsets: tokenize each once (tokenize's own memo holds fewer than WordNet's words).
  const singles = new Map<string, string | undefined>();
  const single = (lemma: string): string | undefined => {
    if (singles.has(lemma)) return singles.get(lemma);
    const stems = tokenize(lemma.replace(/_/g, ' '));
    const out = stems.length === 1 ? stems[0] : undefined;
    singles.set(lemma, out);
    return out;
  };
  const synset = (key: string, lemma: string): WordNetSynset => wordnet.synsets.get(key) ?? raise(`WordNet: synset ${key}, which the lemma "${lemma}" leads to, is missing from the data files`);
  const table = new Map<string, Set<string>>();
  for (const { lemma, synsets } of wordnet.index) {
    const from = single(lemma);
    if (from === undefined) continue;
    const related = table.get(from) ?? new Set<string>();
    table.set(from, related);
    const add = (word: string) => {
      const to = single(word);
      if (to !== undefined && to !== from) related.add(to);
    };
    for (const key of synsets.slice(0, MAX_SENSES)) {
      const { words, pointers } = synset(key, lemma);
      words.forEach(add);
      // 1-based, as pointers count; 0 (not found) is no lexical pointer's source.
      const wordNumber = words.indexOf(lemma) + 1;
      for (const pointer of pointers) {
        if (!FOLLOWED.has(pointer.symbol)) continue;
        const target = synset(pointer.synset, lemma);
        if (pointer.source === 0) target.words.forEach(add);
        else if (pointer.source === wordNumber) {
          add(target.words[pointer.target - 1] ?? raise(`WordNet: a pointer of "${lemma}" in ${key} names word ${pointer.target} of ${pointer.synset}, which has ${target.words.length}`));
        }
      }
    }
  }
  return new Map([...table].filter(([, related]) => related.size > 0).map(([stem, related]) => [stem, [...related].sort()]));
}
