import { io, loadGraphModel, ready, setWasmPaths } from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** Where the site keeps the model: USE-lite's graph, shards and vocabulary, and tfjs's wasm binaries. */
export interface BrowserModelFiles {
  /** URL of model.json (its shards sit next to it). */
  model: string;
  vocabulary: string;
  /** Folder URL (ending in /) holding tfjs-backend-wasm*.wasm. */
  wasm: string;
}

/**
 * USE-lite in the page: the same EnergeticAI tokenizer and tfjs wasm backend as the Node side, with the
 * weights fetched from the site instead of read from node_modules, so a query gets the same vector.
 */
export async function loadBrowserEmbeddings(files: BrowserModelFiles): Promise<EmbeddingsInterface> {
  setWasmPaths(files.wasm);
  // Download the graph and its 27 MB of shards while the wasm backend starts; they become tensors (which need
  // the backend) only after.
  const artifacts: Promise<unknown> = io.http(files.model).load();
  const [, vocabulary] = await Promise.all([ready(), fetchJson(files.vocabulary)]);
  const model = await loadGraphModel(io.fromMemory(await artifacts));
  // A model source returns the graph and the [piece, score] vocabulary, as the Node package's does.
  const use = await initModel(async () => ({ model, vocabulary: vocabulary as [string, number][] }));
  const embedOne = async (text: string): Promise<number[]> => {
    const [vector] = await use.embed([text]);
    if (!vector) throw new Error('USE-lite returned no vector');
    return vector;
  };
  return {
    embedQuery: embedOne,
    embedDocuments: async (texts) => use.embed(texts),
  };
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}
