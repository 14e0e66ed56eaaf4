// A promptfoo provider that answers with this project's own RAG pipeline, so promptfoo's assertions
// and web viewer (`npx promptfoo view`) see exactly what `ragfolio ask` would say.
import { findProjectRoot, loadProjectConfig } from '../../starter/config.ts';
import { loadPipeline, type Pipeline } from '../../starter/pipeline.ts';

let pipeline: Promise<Pipeline> | undefined;

function sharedPipeline(): Promise<Pipeline> {
  // One pipeline for all test cases: loading the index and the embedding model is the slow part. It evaluates the
  // eval set, as `ragfolio eval` does: the questions' shipped vectors are read, as there.
  pipeline ??= loadProjectConfig(findProjectRoot(process.cwd())).then((project) => loadPipeline(project, { shippedQuestions: true }));
  return pipeline;
}

export default class RagfolioProvider {
  id(): string {
    return 'ragfolio';
  }

  async callApi(prompt: string) {
    try {
      const record = await (await sharedPipeline()).ask(prompt);
      return {
        output: record.answer,
        latencyMs: Math.round(record.latencyMs),
        ...(record.usage ? { tokenUsage: { prompt: record.usage.inputTokens, completion: record.usage.outputTokens, total: record.usage.inputTokens + record.usage.outputTokens } } : {}),
        metadata: { citations: record.citations, retrieved: record.retrieved, contexts: record.contexts.map((c) => c.chunk.text) },
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
