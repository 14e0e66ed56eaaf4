import { z } from 'zod';

/**
 * What a multi-step answerer (the agent, the planner) did for one question: every model call and tool call,
 * in order, with its latency and tokens. Run files carry it per record, `ask --trace` and the serve page show it.
 */
export const STOP_REASONS = ['answered', 'step-limit', 'token-budget', 'time-budget', 'malformed-call'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const traceStepSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('model'),
    latencyMs: z.number(),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    /** Tools the model asked for in this turn (none: its final answer). */
    toolCalls: z.array(z.string()),
    /** The turn's tool calls did not parse (bad JSON arguments): it is retried once. */
    malformed: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('tool'),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
    latencyMs: z.number(),
    /** 1 for the first call; 2 when a failed call was retried. */
    attempt: z.number().int().min(1),
    ok: z.boolean(),
    error: z.string().optional(),
    /** Passages the call returned (a search) or read (read_passage). */
    passageIds: z.array(z.string()),
  }),
]);
export type TraceStep = z.infer<typeof traceStepSchema>;

export const traceSchema = z.object({
  steps: z.array(traceStepSchema),
  stopped: z.enum(STOP_REASONS),
});
export type Trace = z.infer<typeof traceSchema>;

/** One line per step, for `ask --trace` and the run file's readers. */
export function formatTraceStep(step: TraceStep, index: number): string {
  const ms = `${step.latencyMs.toFixed(0)} ms`;
  if (step.kind === 'model') {
    const tokens = step.inputTokens === undefined ? '' : `, ${step.inputTokens}+${step.outputTokens ?? 0} tokens`;
    const what = step.malformed ? 'malformed tool call' : step.toolCalls.length ? `calls ${step.toolCalls.join(', ')}` : 'final answer';
    return `${index + 1}. model: ${what} (${ms}${tokens})`;
  }
  const args = Object.entries(step.args)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const result = step.ok ? (step.passageIds.length ? `→ ${step.passageIds.join(', ')}` : '→ nothing') : `failed: ${step.error ?? 'error'}`;
  return `${index + 1}. ${step.tool}(${args})${step.attempt > 1 ? ` retry ${step.attempt - 1}` : ''} ${result} (${ms})`;
}
