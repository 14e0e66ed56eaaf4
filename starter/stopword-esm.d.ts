// The package's single-file ES module build (its `main` is CommonJS, which Node lexes whole for named exports):
// the same lists as `stopword`'s types describe, imported in about a third of the time (tokenize.ts).
declare module 'stopword/dist/stopword.esm.mjs' {
  export { eng } from 'stopword';
}
