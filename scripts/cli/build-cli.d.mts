// Types of build-cli.mjs, which stays plain JavaScript so bin/ragfolio.js can run it before anything compiles TypeScript.
export function cliBuildDir(root: string): string;
export function freshBuild(root: string): Promise<string | undefined>;
export function buildCli(root: string): Promise<string>;
export function builtGridWorker(root: string): Promise<string | undefined>;
