#!/usr/bin/env node
// The CLI is TypeScript that a user reads and edits in place, so it runs through tsx instead of a build step.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/ragfolio.ts');
