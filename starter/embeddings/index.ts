import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config.ts';
import { openAiConnection } from '../openai-env.ts';
import { UseLiteEmbeddings } from './use-lite.ts';

export interface EmbeddingModel {
  /** Names the vector space: cache entries and indexes from another model are never mixed in. */
  id: string;
  embeddings: Embeddings;
}

export function createEmbeddings(config: Config['embeddings'], onBatch?: (done: number) => void): EmbeddingModel {
  if (config.provider === 'local') {
    const embeddings = new UseLiteEmbeddings({ workers: config.workers, onBatch });
    return { id: embeddings.modelId, embeddings };
  }
  const { apiKey, baseURL } = openAiConnection();
  const embeddings = new OpenAIEmbeddings({ model: config.model, apiKey, maxRetries: 3, configuration: { baseURL } });
  return { id: `openai:${config.model}`, embeddings };
}
