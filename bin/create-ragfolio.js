#!/usr/bin/env node
// `npm create ragfolio <dir>` runs this bin: `ragfolio new` without loading the rest of the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/new/create-ragfolio.ts');
