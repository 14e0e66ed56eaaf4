import { z } from 'zod';
import type { ChunkConfig } from './config.ts';
import type { Passage } from './corpus.ts';

/** The unit that is embedded and retrieved, with its span in the source document. */
export interface Chunk {
  id: string;
  docId: string;
  /** The source document's title: indexed with the text, so "the 1991 address" can match. */
  title: string;
  text: string;
  start: number;
  end: number;
  /** Corpus passages whose span this chunk overlaps: relevance is judged on these. */
  passageIds: string[];
}

/** A chunk as the index files (and the demo site) store it. */
export const chunkSchema = z.object({ id: z.string(), docId: z.string(), title: z.string(), text: z.string(), start: z.number(), end: z.number(), passageIds: z.array(z.string()) });

export async function chunkCorpus(passages: Passage[], config: ChunkConfig): Promise<Chunk[]> {
  if (config.mode === 'passage') {
    return passages.map((p) => ({ id: p.id, docId: p.docId, title: p.title, text: p.text, start: p.start, end: p.end, passageIds: [p.id] }));
  }
  // Loaded here, not at the top: it costs ~0.4 s at startup and only ingest splits text.
  const { RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: config.size, chunkOverlap: Math.min(config.overlap, config.size - 1) });
  const chunks: Chunk[] = [];
  for (const [docId, docPassages] of groupByDoc(passages)) {
    const text = rebuildDocument(docPassages);
    const pieces = await splitter.splitText(text);
    let from = 0;
    pieces.forEach((piece, i) => {
      const start = text.indexOf(piece, from);
      if (start < 0) throw new Error(`chunk ${i} of ${docId} not found in its document`);
      const end = start + piece.length;
      from = start + 1;
      const passageIds = docPassages.filter((p) => p.start < end && p.end > start).map((p) => p.id);
      chunks.push({ id: `${docId}#${i}`, docId, title: docPassages[0]?.title ?? '', text: piece, start, end, passageIds });
    });
  }
  return chunks;
}

function groupByDoc(passages: Passage[]): Map<string, Passage[]> {
  const docs = new Map<string, Passage[]>();
  for (const p of passages) {
    const list = docs.get(p.docId);
    if (list) list.push(p);
    else docs.set(p.docId, [p]);
  }
  for (const list of docs.values()) list.sort((a, b) => a.start - b.start);
  return docs;
}

/** Put each passage back at its offsets; gaps between passages become spaces, so offsets stay true. */
export function rebuildDocument(passages: Passage[]): string {
  let text = ' '.repeat(Math.max(...passages.map((p) => p.end)));
  for (const p of passages) text = text.slice(0, p.start) + p.text.slice(0, p.end - p.start) + text.slice(p.end);
  return text;
}

/** What retrieval sees of a chunk: title and text, as BEIR indexes title + body. */
export function searchText(chunk: Pick<Chunk, 'title' | 'text'>): string {
  return chunk.title ? `${chunk.title}\n${chunk.text}` : chunk.text;
}
