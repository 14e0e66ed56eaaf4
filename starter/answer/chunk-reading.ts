import type { Chunk } from '../chunk.ts';
import type { Passage } from '../corpus.ts';
import { tokenize } from '../tokenize.ts';
import { type AnswerType, spansOfType } from './cues.ts';
import { type AnswerUnit, type Attachment, answerUnits, danglingIntro, leadingBlock, unitInContext } from './units.ts';

/**
 * What the extractive answerer reads of a retrieved chunk that no question changes: its answer units, the runs
 * of them it may quote with their terms, passage and section. Every question that retrieves a chunk reads the
 * same, and an experiment grid scores one question's chunks under many settings: read once per chunk, a
 * question adds only its own sums (extractive.ts scoreSentences). Pure: a function of the chunk and the passages.
 */

/** A unit the answerer may quote; `from`: the passage its attachment comes from when not its own (an intro at the end of a chunk). */
export type CandidateUnit = AnswerUnit & { from?: string };

/** What widening reads about a Markdown run: its section's units before and after it, and the code a how-to question gets. */
export interface RunSection {
  /** The quotable units before the run under the same heading, nearest first, and those after it, in order. */
  before?: readonly CandidateUnit[];
  after?: readonly CandidateUnit[];
  /** How-to questions: the first code block of the run's section from the run on (else its last before the run). */
  sectionCode?: { attachment: Attachment; passageId: string };
}

/** A run of consecutive candidate units, as one quote. */
export interface QuotableRun {
  /** Index of the run's first unit among the candidate units, and how many units it joins. */
  first: number;
  size: number;
  /** The units' texts joined: the quote's prose. */
  text: string;
  /** Markdown: the heading path of the run's first unit. */
  heading: string | undefined;
  passageId: string;
  /** The block the run's last unit introduces, and the passage it comes from when not the run's own. */
  attachment: { attachment?: Attachment; attachmentPassageId?: string };
  /** The spans of a type (cues.ts spansOfType) in the text with that block: what a short answer may be taken from. */
  spans(type: AnswerType): readonly string[];
  /** Terms of the run's own text. */
  ownTerms: ReadonlySet<string>;
  /** Terms that count as the run's besides the title's (ChunkReading.titleTerms): its own, and its units' heading and extra words. */
  terms: ReadonlySet<string>;
  /** Markdown: the run's section (undefined in prose, where units have no heading). */
  section(howTo: boolean): RunSection | undefined;
}

/** The units a question of one asked type may be answered by, and their runs. */
export interface CandidateRuns {
  units: readonly CandidateUnit[];
  /** Each unit as similarity reads it (unitInContext). */
  contexts: readonly string[];
  /** Runs of 1..window units, by first unit, then size. */
  runs: readonly QuotableRun[];
}

/** Chunks kept per passage map (about 20 KB each for a speech passage, so at most about 45 MB); past it the least recently read is dropped. */
export const READINGS_KEPT = 2048;

const readings = new WeakMap<ReadonlyMap<string, Passage>, Map<Chunk, ChunkReading>>();

/** The reading of a chunk over `passages`, made once and kept while it is among the READINGS_KEPT last read. */
export function readChunk(chunk: Chunk, passages: ReadonlyMap<string, Passage>): ChunkReading {
  let kept = readings.get(passages);
  if (!kept) {
    kept = new Map();
    readings.set(passages, kept);
  }
  let reading = kept.get(chunk);
  if (reading) kept.delete(chunk);
  else reading = new ChunkReading(chunk, passages);
  kept.set(chunk, reading);
  for (const old of kept.keys()) {
    if (kept.size <= READINGS_KEPT) break;
    kept.delete(old);
  }
  return reading;
}

export class ChunkReading {
  /** The chunk's answer units, in order. */
  readonly units: readonly AnswerUnit[];
  /** Terms anywhere in the chunk's text: a question term there earns context credit. */
  readonly terms: ReadonlySet<string>;
  /** The title's terms ("1991 State of the Union — George Bush", or a docs page's heading path): every unit's own. */
  readonly titleTerms: ReadonlySet<string>;
  /** Whether the candidates depend on the asked type: only code blocks, `Default:` lines and attached blocks make them (not in prose). */
  private readonly typed: boolean;
  private readonly byType = new Map<string, CandidateRuns>();
  private next: { passage?: Passage; units?: readonly AnswerUnit[] } | undefined;

  constructor(
    readonly chunk: Chunk,
    private readonly passages: ReadonlyMap<string, Passage>,
  ) {
    this.units = answerUnits(chunk.text, chunk.title);
    this.terms = new Set(tokenize(chunk.text));
    this.titleTerms = new Set(tokenize(chunk.title));
    this.typed = this.units.some((u) => u.kind === 'code' || u.kind === 'default' || u.attachment !== undefined);
  }

  /** The candidate units for a question of `type`, with their runs of up to `window` units. */
  candidates(type: AnswerType | undefined, window: number): CandidateRuns {
    const howTo = type === 'command' || type === 'option';
    const defaults = type === 'default' || type === 'number';
    const key = `${this.typed ? `${howTo}/${defaults}` : 'any'}/${window}`;
    let made = this.byType.get(key);
    if (!made) {
      const units = this.candidateUnits(howTo, defaults);
      made = { units, contexts: units.map(unitInContext), runs: this.runs(units, window) };
      this.byType.set(key, made);
    }
    return made;
  }

  /** The passage holding a unit: in passage mode a chunk has one; split chunks may straddle two. */
  passageOf(unit: Pick<AnswerUnit, 'start'>): string {
    const { passageIds, start } = this.chunk;
    const offset = start + unit.start;
    const hit = passageIds.find((id) => {
      const p = this.passages.get(id);
      return p !== undefined && p.start <= offset && offset < p.end;
    });
    return hit ?? passageIds[0] ?? '';
  }

  /** The passage of the same document that starts right after the chunk ends, with its answer units. */
  nextPassage(): { passage?: Passage; units?: readonly AnswerUnit[] } {
    if (!this.next) {
      let passage: Passage | undefined;
      for (const p of this.passages.values()) if (p.docId === this.chunk.docId && p.start >= this.chunk.end && (!passage || p.start < passage.start)) passage = p;
      this.next = passage ? { passage, units: answerUnits(passage.text, passage.title) } : {};
    }
    return this.next;
  }

  /**
   * A code block (alone, or after the sentence before it) only for command and option questions (`howTo`), a
   * `Default:` line only for questions about defaults or numbers; a sentence introducing a block only with
   * that block (taken from the next passage of the document when the chunk ends on the sentence).
   */
  private candidateUnits(howTo: boolean, defaults: boolean): CandidateUnit[] {
    const units: CandidateUnit[] = [...this.units];
    const last = units.at(-1);
    if (last && danglingIntro(last)) {
      const next = this.nextPassage().passage;
      const block = next ? leadingBlock(next.text) : undefined;
      if (next && block) units[units.length - 1] = { ...last, attachment: { ...block, introduced: true }, from: next.id };
    }
    return units
      .filter((u) => !danglingIntro(u) && (u.kind !== 'code' || howTo) && (u.kind !== 'default' || defaults))
      .map(({ attachment, ...u }) => (attachment && (attachment.introduced || howTo) ? { ...u, attachment } : u));
  }

  /**
   * Runs of 1..window consecutive units; a block a unit carries (code, list or table) ends the run: it is shown
   * right after its sentence.
   */
  private runs(units: readonly CandidateUnit[], window: number): QuotableRun[] {
    const runs: QuotableRun[] = [];
    // A run's text joins its units' with spaces, so its terms are theirs: each unit is tokenized once, not once per run.
    const unitTerms = units.map((u) => tokenize(u.text));
    // Heading and title words count as the unit's own ("`bodyLimit`" above "Default: `1048576`"), as do a code unit's code and a row's table header.
    const contextTerms = units.map((u) => tokenize(`${u.heading ?? ''} ${u.extra ?? ''}`));
    for (const [i, first] of units.entries()) {
      for (let size = 1; size <= window && i + size <= units.length; size++) {
        const run = units.slice(i, i + size);
        if (run.slice(0, -1).some((u) => u.attachment || u.kind === 'code')) break;
        const last = run.at(-1) as CandidateUnit;
        const text = run.map((u) => u.text).join(' ');
        const ownTerms = new Set(unitTerms.slice(i, i + size).flat());
        const context = contextTerms.slice(i, i + size).flat();
        const withBlock = last.attachment ? `${text}\n${last.attachment.markdown}` : text;
        const spans = new Map<AnswerType, readonly string[]>();
        const sections = new Map<boolean, RunSection | undefined>();
        runs.push({
          first: i,
          size,
          text,
          heading: first.heading,
          passageId: this.passageOf(first),
          attachment: last.attachment ? { attachment: last.attachment, ...(last.from ? { attachmentPassageId: last.from } : {}) } : {},
          spans: (type) => {
            let found = spans.get(type);
            if (!found) {
              found = spansOfType(withBlock, type);
              spans.set(type, found);
            }
            return found;
          },
          ownTerms,
          terms: context.length > 0 ? new Set([...ownTerms, ...context]) : ownTerms,
          section: (howTo) => {
            if (first.heading === undefined) return undefined;
            if (!sections.has(howTo)) sections.set(howTo, this.sectionOf(units, i, size, howTo));
            return sections.get(howTo);
          },
        });
      }
    }
    return runs;
  }

  /**
   * What widening reads about a Markdown run: the quotable units before and after it under the same heading, and
   * for a how-to question the section's first code block from the run on (else its last before the run), with its passage.
   */
  private sectionOf(units: readonly CandidateUnit[], i: number, size: number, howTo: boolean): RunSection {
    const first = units[i] as CandidateUnit;
    const sameSection = (u: AnswerUnit) => u.heading === first.heading;
    const stop = (list: readonly CandidateUnit[]) => {
      const end = list.findIndex((u) => !sameSection(u));
      return end < 0 ? list : list.slice(0, end);
    };
    const around = { before: stop(units.slice(0, i).reverse()), after: stop(units.slice(i + size)) };
    if (!howTo) return around;
    const section = this.units.filter(sameSection);
    const code = (u: AnswerUnit) => u.attachment?.kind === 'code';
    // The run's own sentence may carry it: a code block no sentence introduces goes with the sentence before it.
    const from = Math.max(
      0,
      section.findIndex((u) => u.start === first.start),
    );
    const holder = section.slice(from).find(code) ?? section.slice(0, from).filter(code).at(-1);
    return holder?.attachment ? { ...around, sectionCode: { attachment: holder.attachment, passageId: this.passageOf(holder) } } : around;
  }
}
