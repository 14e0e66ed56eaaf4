import type { Chunk } from '../../starter/chunk.ts';
import type { Passage } from '../../starter/corpus.ts';

/** Texts laid end to end, one space apart, as the passages of one document, with ids `${idPrefix}${i}`. */
export function passagesOf(texts: readonly string[], doc: { docId: string; title: string; idPrefix: string }): Passage[] {
  let offset = 0;
  return texts.map((text, i) => {
    const passage = { id: `${doc.idPrefix}${i}`, docId: doc.docId, title: doc.title, text, start: offset, end: offset + text.length, meta: {} };
    offset += text.length + 1;
    return passage;
  });
}

/** A chunk that is exactly one passage (passage-mode chunking). */
export function passageChunk(p: Passage): Chunk {
  return { id: p.id, docId: p.docId, title: p.title, text: p.text, start: p.start, end: p.end, passageIds: [p.id] };
}
