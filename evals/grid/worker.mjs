// @ts-check
// Entry of a grid worker thread (evals/grid/threads.ts) when no fresh CLI build offers its grid-worker.js
// (scripts/cli/build-cli.mjs): plain JavaScript so it starts under node, tsx and vitest alike; it registers tsx
// to run the TypeScript the main thread runs, as bin/ragfolio.js does without a build.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
