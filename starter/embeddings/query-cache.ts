import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { EmbeddingCache } from './cache.ts';
import type { ShippedEmbeddings } from './shipped.ts';

/** Embeds each text on its own, exactly as embedQuery would (a batch gives slightly different floats). */
export interface EmbedEach {
  /** `onVector` gets each vector as soon as it is ready, by its index in `texts`. */
  embedEach(texts: readonly string[], onVector?: (index: number, vector: number[]) => void): Promise<number[][]>;
}

export interface QueryCacheStats {
  hits: number;
  misses: number;
}

/**
 * Question vectors, content-addressed by (model, sha256(question)) on disk like passage vectors, seeded by the
 * dataset's shipped question vectors, so an experiment grid embeds each other question once per machine whatever
 * the grid sweeps. Only grids keep this file: `eval` reads the shipped vectors alone and embeds any other question
 * each time, so its latency is the pipeline's own (each record says whether its question's vector shipped).
 */
export class QueryCache {
  /** Questions being embedded by fill(): serve() waits for them instead of embedding them again. */
  private readonly pending = new Map<string, { vector: Promise<number[]>; resolve(v: number[]): void; reject(e: unknown): void }>();

  /** Vectors embedded here since the last take(): what a grid worker hands back to the thread that keeps the file. */
  private readonly fresh = new Map<string, number[]>();

  private constructor(
    private readonly cache: EmbeddingCache,
    private readonly persist: boolean,
  ) {}

  /**
   * `persist: false` never writes the file (a grid worker's copy: the main thread saves what the workers embedded).
   * `seed`: the dataset's shipped question vectors (starter/embeddings/shipped-questions.ts), read after the file.
   */
  static async open(file: string, model: string, options: { persist?: boolean; seed?: ShippedEmbeddings } = {}): Promise<QueryCache> {
    return new QueryCache(await EmbeddingCache.open(file, model, { seed: options.seed }), options.persist ?? true);
  }

  /** The question's vector if the cache or the shipped vectors have it. */
  get(question: string): number[] | undefined {
    return this.cache.get(question);
  }

  get file(): string {
    return this.cache.file;
  }

  /**
   * Embed the questions not in the cache yet (each once, one at a time, threads if the model has them) and save.
   * Each vector is served as soon as it is ready, so evaluation can start while the rest are embedded.
   */
  async fill(questions: readonly string[], embeddings: EmbeddingsInterface, onDone?: (done: number, total: number) => void): Promise<QueryCacheStats> {
    const missing = [...new Set(questions.filter((q) => !this.cache.has(q) && !this.pending.has(q)))];
    if (missing.length > 0) {
      for (const q of missing) {
        let settle: Pick<NonNullable<ReturnType<typeof this.pending.get>>, 'resolve' | 'reject'> = { resolve() {}, reject() {} };
        const vector = new Promise<number[]>((resolve, reject) => {
          settle = { resolve, reject };
        });
        // A failed fill rejects here and in fill()'s caller; only the caller has to handle it.
        vector.catch(() => {});
        this.pending.set(q, { vector, ...settle });
      }
      let done = 0;
      const each = hasEmbedEach(embeddings) ? embeddings : sequential(embeddings);
      try {
        await each.embedEach(missing, (i, vector) => {
          const q = missing[i] as string;
          this.keep(q, vector);
          this.pending.get(q)?.resolve(vector);
          this.pending.delete(q);
          onDone?.(++done, missing.length);
        });
      } catch (error) {
        for (const q of missing) this.pending.get(q)?.reject(error);
        throw error;
      } finally {
        for (const q of missing) this.pending.delete(q);
      }
      await this.save();
    }
    return { hits: questions.length - missing.length, misses: missing.length };
  }

  /** `embeddings` with embedQuery served from the cache (a miss is embedded and kept); documents pass through. */
  serve(embeddings: EmbeddingsInterface): EmbeddingsInterface {
    return {
      embedQuery: async (text) => {
        const hit = this.cache.get(text) ?? (await this.pending.get(text)?.vector);
        if (hit) return hit;
        const vector = await embeddings.embedQuery(text);
        this.keep(text, vector);
        return vector;
      },
      embedDocuments: (texts) => embeddings.embedDocuments(texts),
    };
  }

  /** Settles once the question is no longer being embedded by fill(): stage timings start after it. */
  async settled(question: string): Promise<void> {
    await this.pending.get(question)?.vector.catch(() => {});
  }

  /** The vectors embedded since the last call, by text (each handed out once). */
  take(): [string, number[]][] {
    const out = [...this.fresh];
    this.fresh.clear();
    return out;
  }

  /** Keep a vector embedded elsewhere (a grid worker), to be saved with the rest. */
  put(text: string, vector: number[]): void {
    if (!this.cache.has(text)) this.cache.set(text, vector);
  }

  async save(): Promise<void> {
    if (this.persist) await this.cache.save();
  }

  private keep(text: string, vector: number[]): void {
    this.cache.set(text, vector);
    this.fresh.set(text, vector);
  }
}

function hasEmbedEach(e: EmbeddingsInterface): e is EmbeddingsInterface & EmbedEach {
  return typeof (e as Partial<EmbedEach>).embedEach === 'function';
}

function sequential(embeddings: EmbeddingsInterface): EmbedEach {
  return {
    async embedEach(texts, onVector) {
      const out: number[][] = [];
      for (const [i, t] of texts.entries()) {
        out.push(await embeddings.embedQuery(t));
        onVector?.(i, out[i] as number[]);
      }
      return out;
    },
  };
}
