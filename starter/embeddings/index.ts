import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { openAiConnection } from '../openai-env.ts';
import { endpointUrl, networkPolicy } from '../openai-retry.ts';
import { OpenAiEmbeddings } from './openai.ts';
import { USE_LITE_MODEL_ID, UseLiteEmbeddings } from './use-lite.ts';

export interface EmbeddingModel {
  /** Names the vector space: cache entries and indexes from another model are never mixed in. */
  id: string;
  embeddings: Embeddings;
  /** Vectors of any other length are refused (an index of that many dimensions is loaded); the local model needs no check. */
  expectDimensions?(dims: number): void;
  /** Start loading a local model in the background, before the first question (see UseLiteEmbeddings.warmUp). */
  warmUp?(): void;
}

/** Names the vector space of an embeddings config, without loading anything. */
export function embeddingModelId(config: Config['embeddings']): string {
  return config.provider === 'local' ? USE_LITE_MODEL_ID : `openai:${config.model}`;
}

export async function createEmbeddings(config: Config['embeddings'], onBatch?: (done: number) => void): Promise<EmbeddingModel> {
  if (config.provider === 'local') {
    const embeddings = new UseLiteEmbeddings({ workers: config.workers, onBatch });
    return { id: embeddingModelId(config), embeddings, warmUp: () => embeddings.warmUp() };
  }
  const { apiKey, baseURL } = openAiConnection(process.env, 'embeddings');
  // Loaded on first use, as in chat-model.ts: the local path never pays for it.
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  const endpoint = { name: 'the embeddings endpoint', url: endpointUrl(baseURL, '/embeddings'), settings: 'embeddings' };
  const embeddings = new OpenAiEmbeddings((fetch) => new OpenAIEmbeddings({ model: config.model, apiKey, maxRetries: 0, configuration: { baseURL, fetch } }), endpoint, networkPolicy(config));
  return { id: embeddingModelId(config), embeddings, expectDimensions: (dims) => embeddings.expectDimensions(dims) };
}
