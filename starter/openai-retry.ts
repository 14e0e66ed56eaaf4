import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from './errors.ts';
import { redact } from './redact.ts';

/** How long one call to an OpenAI-compatible endpoint may take: each attempt, how many retries, and in all. */
export interface NetworkPolicy {
  timeoutMs: number;
  maxRetries: number;
  maxTotalMs: number;
}

const DEFAULT_NETWORK_POLICY: NetworkPolicy = { timeoutMs: 30_000, maxRetries: 3, maxTotalMs: 60_000 };

/** Fill the limits a config section leaves out with the defaults. */
export function networkPolicy(settings: Partial<NetworkPolicy> = {}): NetworkPolicy {
  return {
    timeoutMs: settings.timeoutMs ?? DEFAULT_NETWORK_POLICY.timeoutMs,
    maxRetries: settings.maxRetries ?? DEFAULT_NETWORK_POLICY.maxRetries,
    maxTotalMs: settings.maxTotalMs ?? DEFAULT_NETWORK_POLICY.maxTotalMs,
  };
}

/** What a message names: the component, the URL it called, and the config section holding its limits. */
export interface OpenAiEndpoint {
  /** e.g. "the chat model", "the embeddings endpoint", "the judge". */
  name: string;
  /** The full URL, credentials removed. */
  url: string;
  /** e.g. "generator", "embeddings", "eval.judge": where timeoutMs, maxRetries and maxTotalMs are set. */
  settings: string;
}

/** `baseURL` + `path`, without user:password or query, e.g. http://127.0.0.1:8080/v1/embeddings. */
export function endpointUrl(baseURL: string | undefined, path: string): string {
  const url = new URL(baseURL ?? 'https://api.openai.com/v1');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${path}`;
}

/** A reply that arrived but cannot be used (wrong shape, wrong vector length): retrying would get the same. */
export class UnusableReply extends Error {
  override readonly name = 'UnusableReply';
  constructor(
    readonly detail: string,
    readonly fix?: string,
  ) {
    super(detail);
  }
}

type Failure =
  | { kind: 'timeout'; budgetMs: number }
  | { kind: 'status'; status: number; detail: string; retryAfterMs: number | undefined; quota: boolean }
  | { kind: 'connection'; detail: string }
  | { kind: 'unusable'; detail: string; fix: string | undefined };

let showRetry: ((line: string) => void) | undefined;

/** Where a line about each retry goes; the CLI sends them to stderr, so a slow server shows signs of life. */
export function onRetry(listener: ((line: string) => void) | undefined): void {
  showRetry = listener;
}

const field = (value: unknown, key: string): unknown => (value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined);

function header(error: unknown, name: string): string | undefined {
  const headers = field(error, 'headers');
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = field(headers, name);
  return typeof value === 'string' ? value : undefined;
}

/** How long the server asked to wait: retry-after-ms (OpenAI's own) first, then retry-after in seconds or as an HTTP date. */
function retryAfterMs(error: unknown): number | undefined {
  const ms = header(error, 'retry-after-ms')?.trim();
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = header(error, 'retry-after')?.trim();
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The first errno-style code in an error's cause chain (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, ...). */
function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = field(e, 'cause'), depth++) {
    const code = field(e, 'code');
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

function oneLine(text: string, max = 160): string {
  const line = redact(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What went wrong with an attempt, or undefined when the error is not the server's doing (a bug of ours). */
function classify(error: unknown, timedOut: boolean, budgetMs: number): Failure | undefined {
  if (error instanceof UnusableReply) return { kind: 'unusable', detail: error.detail, fix: error.fix };
  const name = field(error, 'name');
  if (timedOut || name === 'TimeoutError') return { kind: 'timeout', budgetMs };
  const status = field(error, 'status');
  if (typeof status === 'number') {
    const inner = field(field(error, 'error'), 'message');
    const detail = typeof inner === 'string' ? inner : error instanceof Error ? error.message.replace(/^\d{3}\s*/, '') : '';
    return { kind: 'status', status, detail: oneLine(detail), retryAfterMs: retryAfterMs(error), quota: field(error, 'code') === 'insufficient_quota' };
  }
  if (error instanceof SyntaxError || (error instanceof Error && /JSON/.test(error.message))) return { kind: 'unusable', detail: `not valid JSON: ${oneLine(error.message, 80)}`, fix: undefined };
  const message = error instanceof Error ? error.message : '';
  if (/connection error|fetch failed|terminated|socket|ECONN|other side closed/i.test(message) || causeCode(error)) {
    return { kind: 'connection', detail: causeCode(error) ?? oneLine(message, 60) };
  }
  return undefined;
}

function retryable(failure: Failure): boolean {
  if (failure.kind === 'timeout' || failure.kind === 'connection') return true;
  if (failure.kind === 'status') return (failure.status === 429 && !failure.quota) || failure.status === 408 || failure.status === 409 || failure.status >= 500;
  return false;
}

/** What happened, in words; the server's own explanation of a 4xx only in the final message (`detail`). */
function what(failure: Failure, detail = false): string {
  switch (failure.kind) {
    case 'timeout':
      return `did not answer within ${failure.budgetMs} ms`;
    case 'status':
      return `answered ${failure.status}${detail && failure.detail && failure.status < 500 ? ` "${failure.detail.replace(/\.$/, '')}"` : ''}`;
    case 'connection':
      return `could not be reached (${failure.detail})`;
    case 'unusable':
      return `sent a reply that cannot be used: ${failure.detail}`;
  }
}

function fix(failure: Failure, endpoint: OpenAiEndpoint, policy: NetworkPolicy): string {
  const s = endpoint.settings;
  const limits = `or raise ${s}.maxRetries (${policy.maxRetries}) / ${s}.maxTotalMs (${policy.maxTotalMs}) in ragfolio.config.json`;
  switch (failure.kind) {
    case 'timeout':
      return `Check that the server is up and not overloaded, or raise ${s}.timeoutMs (${policy.timeoutMs}) in ragfolio.config.json.`;
    case 'connection':
      return 'Check that the server is running and that OPENAI_BASE_URL points at it.';
    case 'unusable':
      return failure.fix ?? 'Check that OPENAI_BASE_URL points at an OpenAI-compatible API (it usually ends in /v1).';
    case 'status':
      if (failure.status === 401 || failure.status === 403) return 'Check OPENAI_API_KEY.';
      if (failure.status === 404) return `Check ${s}.model in ragfolio.config.json and OPENAI_BASE_URL (it usually ends in /v1).`;
      if (failure.quota) return 'The account is out of quota: check its plan and billing.';
      if (failure.status === 429) return `The server is rate-limiting: wait and retry, ${limits}.`;
      if (failure.status >= 500) return `The server failed: check its status or logs and try again later, ${limits}.`;
      return `Check ${s} in ragfolio.config.json.`;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/**
 * One logical call (a chat answer, a batch of embeddings) under a network policy: each attempt gets its own
 * deadline (covering the body too, which the SDK's timeout does not), failures worth retrying are retried with
 * backoff or the server's retry-after, and the whole stays within maxTotalMs.
 */
export class OpenAiCall {
  #attempts = 0;
  #budgetMs = 0;
  readonly #started = performance.now();

  constructor(
    readonly endpoint: OpenAiEndpoint,
    readonly policy: NetworkPolicy,
    /** The caller's own cancellation (a closed browser tab): it ends the call without a retry or a message. */
    readonly caller?: AbortSignal,
  ) {}

  /** Run attempts until one succeeds; resolves with its value and the attempt's signal (a stream keeps reading under it). */
  async run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; signal: AbortSignal }> {
    for (;;) {
      const budgetMs = Math.max(1, Math.floor(Math.min(this.policy.timeoutMs, this.policy.maxTotalMs - this.elapsed())));
      this.#budgetMs = budgetMs;
      const timer = AbortSignal.timeout(budgetMs);
      const signal = this.caller ? AbortSignal.any([this.caller, timer]) : timer;
      this.#attempts++;
      try {
        return { value: await attempt(signal), signal };
      } catch (error) {
        if (this.caller?.aborted) throw error;
        const failure = classify(error, timer.aborted, budgetMs);
        if (!failure) throw error;
        const delay = failure.kind === 'status' ? (failure.retryAfterMs ?? this.backoff()) : this.backoff();
        if (!retryable(failure) || this.#attempts > this.policy.maxRetries) throw this.describe(failure, error);
        // A retry must fit, with time for an answer (a full attempt, or 1 s of it), before maxTotalMs.
        if (this.elapsed() + delay + Math.min(this.policy.timeoutMs, 1000) > this.policy.maxTotalMs) {
          const why = failure.kind === 'status' && failure.retryAfterMs !== undefined ? `the server asked to wait ${seconds(delay)}, past` : 'another attempt would run past';
          throw this.describe(failure, error, `; ${why} ${this.endpoint.settings}.maxTotalMs`);
        }
        showRetry?.(redact(`ragfolio: ${this.endpoint.name} at ${this.endpoint.url} ${what(failure)} (attempt ${this.#attempts} of ${this.policy.maxRetries + 1}); retrying in ${seconds(delay)}`));
        await sleep(delay, undefined, { signal: this.caller });
      }
    }
  }

  /** The error for a failure after the attempts (or mid-stream, where a retry would repeat text): a UserError when it is the server's. */
  fail(error: unknown, signal: AbortSignal): unknown {
    if (this.caller?.aborted) return error;
    const failure = classify(error, signal.aborted, this.#budgetMs);
    return failure ? this.describe(failure, error) : error;
  }

  private describe(failure: Failure, cause: unknown, extra = ''): UserError {
    const { name, url } = this.endpoint;
    return new UserError(redact(`${name} at ${url} ${what(failure, true)} (${plural(this.#attempts)}, ${seconds(this.elapsed())} in all${extra}). ${fix(failure, this.endpoint, this.policy)}`), {
      cause,
    });
  }

  private elapsed(): number {
    return performance.now() - this.#started;
  }

  /** Exponential from 0.5 s with jitter, never longer than one attempt may take. */
  private backoff(): number {
    const base = Math.min(this.policy.timeoutMs, 500 * 2 ** (this.#attempts - 1));
    return Math.round(base * (0.5 + Math.random() / 2));
  }
}

/** Run `attempt` under the policy and return its value. */
export async function callOpenAi<T>(endpoint: OpenAiEndpoint, policy: NetworkPolicy, attempt: (signal: AbortSignal) => Promise<T>, caller?: AbortSignal): Promise<T> {
  return (await new OpenAiCall(endpoint, policy, caller).run(attempt)).value;
}
