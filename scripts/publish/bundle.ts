import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';

// The tfjs build inside @energetic-ai/core is made for Node and requires these at load time; in a page they
// are never called (tfjs picks its browser platform), so each resolves to an empty module.
const NODE_ONLY = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node-fetch']);

const emptyNodeModules: Plugin = {
  name: 'empty-node-modules',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (NODE_ONLY.has(args.path) ? { path: args.path, namespace: 'empty-node-module' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty-node-module' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Bundle a browser entry (starter/browser/*) and everything it imports into one minified ES module. */
export async function bundleBrowser(entry: string, outFile: string): Promise<{ bytes: number; warnings: string[] }> {
  const result = await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'silent',
    // Only a split-chunking ingest loads the text splitter; the page never chunks.
    external: ['@langchain/textsplitters'],
    plugins: [emptyNodeModules],
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { bytes, warnings: result.warnings.map((w) => w.text) };
}
