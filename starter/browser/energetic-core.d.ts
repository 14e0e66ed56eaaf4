// @energetic-ai/core re-exports tfjs, whose typings it does not ship: declare the few functions the page calls.
import type { EmbeddingsModelData } from '@energetic-ai/embeddings';

declare module '@energetic-ai/core' {
  /** Resolves once the wasm backend is initialised. */
  export function ready(): Promise<void>;
  /** Folder URL (ending in /) of the tfjs-backend-wasm*.wasm files; call before ready(). */
  export function setWasmPaths(prefix: string): void;
  export function loadGraphModel(handler: unknown): Promise<EmbeddingsModelData['model']>;
}
