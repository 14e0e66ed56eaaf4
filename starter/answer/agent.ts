import { z } from 'zod';
import { createToolCallingModel, messageText } from '../chat-model.ts';
import type { Config } from '../config.ts';
import type { Passage } from '../corpus.ts';
import { UserError } from '../errors.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { parseCitations } from './citations.ts';
import type { StopReason, Trace, TraceStep } from './trace.ts';
import { type Answer, type Answerer, type AnswerTools, NOT_FOUND, type Usage } from './types.ts';

type AgentConfig = Extract<Config['generator'], { provider: 'agent' }>;

export const AGENT_PROMPT = `You answer questions about a corpus of passages, using tools.
search_corpus(query, k) finds passages and shows the start of each; read_passage(id) shows one in full.
A question that compares or lists several things needs one search per thing.
Cite every claim with the id of a passage you read with read_passage, in square brackets, e.g. [1990-bush-003].
If what you read does not answer the question, reply exactly: ${NOT_FOUND}
Be brief: one to three sentences.`;

/** Characters of each search hit the agent sees: enough to choose what to read, not enough to answer from. */
const SNIPPET_CHARS = 240;

const searchArgs = z.object({ query: z.string().min(1), k: z.number().int().min(1).optional() });
const readArgs = z.object({ id: z.string().min(1) });

interface AgentParts {
  passages: ReadonlyMap<string, Passage>;
}

/**
 * The agentic answerer: LangChain's `createAgent` over an OpenAI-compatible chat model with two tools, the
 * project's retriever (search_corpus) and the corpus (read_passage). Its middleware enforces the step, token
 * and time budgets, retries a failing tool call or a malformed model turn once, and records every step.
 * It cites only passages it read; with no such citation it abstains.
 */
export async function createAgentAnswerer(config: AgentConfig, parts: AgentParts): Promise<Answerer> {
  const { model, url } = await createToolCallingModel(config);
  const { createAgent, createMiddleware, tool, AIMessage, ToolMessage } = await import('langchain');

  return {
    id: `agent:${config.model}`,
    async answer(question, _retrieved, tools?: AnswerTools): Promise<Answer> {
      if (!tools) throw new Error('the agent answerer needs the retriever (AnswerTools)');
      const steps: TraceStep[] = [];
      const usage: Usage = { inputTokens: 0, outputTokens: 0 };
      const seen = new Map<string, RetrievedChunk>();
      const read = new Set<string>();
      let stopped: StopReason = 'answered';
      let modelCalls = 0;

      const searchCorpus = tool(
        async ({ query, k }) => {
          const hits = await tools.retrieve(query, Math.min(k ?? 5, config.maxSearchK));
          for (const hit of hits) for (const id of hit.chunk.passageIds) if (!seen.has(id)) seen.set(id, hit);
          return hits.map(({ chunk }) => `[${chunk.passageIds[0] ?? chunk.id}] ${chunk.text.slice(0, SNIPPET_CHARS)}`).join('\n\n') || 'No passages found.';
        },
        { name: 'search_corpus', description: 'Search the corpus; returns passage ids with the start of each passage.', schema: searchArgs },
      );
      const readPassage = tool(
        async ({ id }) => {
          const passage = parts.passages.get(id);
          if (!passage) throw new Error(`no passage has id "${id}"`);
          read.add(id);
          return `[${id}] ${passage.title}\n${passage.text}`;
        },
        { name: 'read_passage', description: 'Read one passage in full, by its id.', schema: readArgs },
      );

      /** A turn with no tool calls ends the agent's loop: how a budget stops it. */
      const stop = (reason: StopReason) => {
        stopped = reason;
        return new AIMessage({ content: '' });
      };
      const budgets = createMiddleware({
        name: 'RagfolioBudgetsAndTrace',
        wrapModelCall: async (request, handler) => {
          for (let attempt = 1; ; attempt++) {
            if (modelCalls >= config.maxSteps) return stop('step-limit');
            if (usage.inputTokens + usage.outputTokens >= config.maxTokens) return stop('token-budget');
            modelCalls++;
            const started = performance.now();
            const reply = await handler(request);
            // The OpenAI client leaves out a zero count (a turn that only calls tools has no output tokens).
            const tokens = reply.usage_metadata ? { inputTokens: reply.usage_metadata.input_tokens ?? 0, outputTokens: reply.usage_metadata.output_tokens ?? 0 } : undefined;
            if (tokens) {
              usage.inputTokens += tokens.inputTokens;
              usage.outputTokens += tokens.outputTokens;
            }
            const malformed = (reply.invalid_tool_calls?.length ?? 0) > 0;
            steps.push({
              kind: 'model',
              latencyMs: performance.now() - started,
              ...tokens,
              toolCalls: (reply.tool_calls ?? []).map((call) => call.name),
              ...(malformed ? { malformed: true } : {}),
            });
            if (!malformed) return reply;
            if (attempt > 1) return stop('malformed-call');
          }
        },
        wrapToolCall: async (request, handler) => {
          const { name, args, id } = request.toolCall;
          for (let attempt = 1; ; attempt++) {
            const started = performance.now();
            const record = (ok: boolean, text: string) =>
              steps.push({ kind: 'tool', tool: name, args, latencyMs: performance.now() - started, attempt, ok, ...(ok ? {} : { error: text.slice(0, 200) }), passageIds: ok ? resultIds(text) : [] });
            try {
              const result = await handler(request);
              const text = result instanceof ToolMessage ? messageText(result.content) : '';
              // LangChain may turn a tool's exception into an error ToolMessage: a failed call all the same.
              const failed = result instanceof ToolMessage && result.status === 'error';
              record(!failed, text);
              if (!failed || attempt > 1) return result;
            } catch (error) {
              const message = error instanceof Error ? error.message : String(error);
              record(false, message);
              if (attempt > 1) return new ToolMessage({ content: `Error: ${message}. Answer with what you have read, or reply ${NOT_FOUND}`, tool_call_id: id ?? '', name, status: 'error' });
            }
          }
        },
      });

      const agent = createAgent({ model, tools: [searchCorpus, readPassage], systemPrompt: AGENT_PROMPT, middleware: [budgets] });
      let text = '';
      try {
        // Each model call and each tool call is one graph step; the middleware's step limit ends the run first.
        const result = await agent.invoke({ messages: [{ role: 'user', content: question }] }, { signal: AbortSignal.timeout(config.maxTotalMs), recursionLimit: 4 * config.maxSteps + 4 });
        const last = result.messages.at(-1);
        text = stopped === 'answered' && last && AIMessage.isInstance(last) ? messageText(last.content).trim() : '';
      } catch (error) {
        if (!(error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
          throw new UserError(
            `the agent's chat model at ${url} failed: ${error instanceof Error ? error.message : String(error)}. Check OPENAI_BASE_URL/OPENAI_API_KEY and generator.model, or set generator.provider to "extractive".`,
          );
        }
        stopped = 'time-budget';
      }
      return agentAnswer(text, read, seen, { steps, stopped }, usage);
    },
  };
}

/** The passage ids a tool's reply shows: each hit (or the passage read) starts a line with its [id]. */
function resultIds(text: string): string[] {
  return [...text.matchAll(/^\[([^\]\s]+)\]/gm)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/** The agent's final text, kept only with citations of passages it read; otherwise an abstention that withholds it. */
export function agentAnswer(text: string, read: ReadonlySet<string>, seen: ReadonlyMap<string, RetrievedChunk>, trace: Trace, usage: Usage): Answer {
  const citations = parseCitations(text, read);
  const contexts = [...new Set([...read].map((id) => seen.get(id)).filter((c): c is RetrievedChunk => c !== undefined))];
  const declined = text.length === 0 || text.startsWith(NOT_FOUND.replace(/\.$/, ''));
  const base = { trace, usage, contexts };
  if (declined || citations.length === 0) return { ...base, text: NOT_FOUND, citations: [], abstained: true, ...(declined ? {} : { withheld: { text } }) };
  return { ...base, text, citations, abstained: false };
}
