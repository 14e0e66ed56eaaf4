import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { openAiConnection, retryRateLimits } from '../openai-env.ts';
import { USE_LITE_MODEL_ID, UseLiteEmbeddings } from './use-lite.ts';

export interface EmbeddingModel {
  /** Names the vector space: cache entries and indexes from another model are never mixed in. */
  id: string;
  embeddings: Embeddings;
}

/** Names the vector space of an embeddings config, without loading anything. */
export function embeddingModelId(config: Config['embeddings']): string {
  return config.provider === 'local' ? USE_LITE_MODEL_ID : `openai:${config.model}`;
}

export async function createEmbeddings(config: Config['embeddings'], onBatch?: (done: number) => void): Promise<EmbeddingModel> {
  if (config.provider === 'local') {
    const embeddings = new UseLiteEmbeddings({ workers: config.workers, onBatch });
    return { id: embeddingModelId(config), embeddings };
  }
  const { apiKey, baseURL } = openAiConnection();
  // Loaded on first use, as in chat-model.ts: the local path never pays for it.
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  const embeddings = new OpenAIEmbeddings({ model: config.model, apiKey, maxRetries: 3, onFailedAttempt: retryRateLimits, configuration: { baseURL } });
  return { id: embeddingModelId(config), embeddings };
}
