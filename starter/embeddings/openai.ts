import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { callOpenAi, type NetworkPolicy, type OpenAiEndpoint, UnusableReply } from '../openai-retry.ts';

type Fetch = typeof fetch;

/**
 * OpenAI-compatible embeddings (LangChain's OpenAIEmbeddings underneath, its own retries off) under a network
 * policy, with every reply checked: one finite vector per text, all of one length. A bad vector would
 * otherwise reach the cache and the index, or crash the search.
 */
export class OpenAiEmbeddings extends Embeddings {
  #dims: { n: number; from: 'index' | 'reply' } | undefined;

  constructor(
    /** Makes the client for one attempt, given a fetch bound to that attempt's deadline. */
    private readonly client: (fetch: Fetch) => EmbeddingsInterface,
    private readonly endpoint: OpenAiEndpoint,
    private readonly policy: NetworkPolicy,
  ) {
    super({});
  }

  expectDimensions(n: number): void {
    this.#dims = { n, from: 'index' };
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.length === 0 ? [] : this.call((e) => e.embedDocuments(texts), texts.length);
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector = []] = await this.call(async (e) => [await e.embedQuery(text)], 1);
    return vector;
  }

  private call(run: (embeddings: EmbeddingsInterface) => Promise<number[][]>, count: number): Promise<number[][]> {
    return callOpenAi(this.endpoint, this.policy, async (signal) => {
      // The SDK's own timeout ends when the headers arrive; this signal also bounds a body that trickles in.
      const bound: Fetch = (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
      return this.check(await run(this.client(bound)), count);
    });
  }

  private check(vectors: number[][], count: number): number[][] {
    if (vectors.length !== count) throw new UnusableReply(`${vectors.length} vectors for ${count} texts`);
    for (const vector of vectors) {
      if (!Array.isArray(vector) || vector.length === 0 || !vector.every(Number.isFinite)) throw new UnusableReply('a vector that is empty or not all numbers');
      const dims = this.#dims ?? { n: vector.length, from: 'reply' };
      this.#dims = dims;
      if (vector.length !== dims.n) {
        const where = dims.from === 'index' ? `the index holds ${dims.n}-dimensional ones` : `other vectors have ${dims.n}`;
        throw new UnusableReply(`${vector.length}-dimensional vectors where ${where}`, 'Check embeddings.model and the server; if the model changed on purpose, run `ragfolio ingest --force`.');
      }
    }
    return vectors;
  }
}
