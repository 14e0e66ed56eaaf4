// The promptfoo side of the experimentGrid bench: one provider per grid configuration, as a promptfoo user would
// sweep a grid. Like evals/promptfoo/provider.ts, but the configuration comes from the provider's `config.ragfolio`.
import { findProjectRoot, parseConfig } from '../starter/config.ts';
import { stableHash } from '../starter/hash.ts';
import { loadPipeline, type Pipeline } from '../starter/pipeline.ts';

export default class RagfolioGridProvider {
  private pipeline: Promise<Pipeline> | undefined;

  constructor(private readonly options: { id?: string; config?: { ragfolio?: unknown; root?: string } }) {}

  id(): string {
    return this.options.id ?? 'ragfolio-grid';
  }

  async callApi(prompt: string) {
    try {
      // Loaded on the first case, kept for the others: the index and the model are the slow part.
      this.pipeline ??= (async () => {
        const config = parseConfig(this.options.config?.ragfolio, 'provider config');
        // As ours' grid and `eval`: the eval questions' shipped vectors are read.
        return loadPipeline({ root: this.options.config?.root ?? findProjectRoot(process.cwd()), config, configHash: stableHash(config) }, { shippedQuestions: true });
      })();
      const record = await (await this.pipeline).ask(prompt);
      return {
        output: record.answer,
        latencyMs: Math.round(record.latencyMs),
        metadata: { citations: record.citations, retrieved: record.retrieved, contexts: record.contexts.map((c) => c.chunk.text) },
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
