/**
 * Secrets never leave the process: every text that goes out (stderr, the server log, answers, run files, the site)
 * passes through `redact`. It hides the configured OPENAI_API_KEY by its exact value, whatever its shape (keys of
 * local and self-hosted servers rarely start with sk-), any Authorization header or bearer token a server repeats,
 * OpenAI-shaped keys, and the user:password of a URL.
 */
export const REDACTED = '[redacted]';

/** Shorter values are not hidden by value: a 3-letter "key" would blank out every word that contains it. */
const MIN_SECRET_CHARS = 6;

const PATTERNS: readonly [RegExp, string][] = [
  [/(\bauthorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)[^\s"',;}]+/gi, `$1${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${REDACTED}@`],
];

/** The values to hide by value: the API key the OpenAI clients are given (see openai-env.ts). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const key = env.OPENAI_API_KEY?.trim();
  return key && key.length >= MIN_SECRET_CHARS ? [key] : [];
}

/** `text` with every secret replaced by [redacted]. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const secret of secretValues(env)) out = out.replaceAll(secret, REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Redact text that arrives in pieces (a streamed answer): a piece that ends with the start of a secret is held
 * back until the next piece shows whether the secret follows, so a key split over two tokens is still hidden.
 */
export function createStreamRedactor(env: NodeJS.ProcessEnv = process.env): { push(piece: string): string; flush(): string } {
  const secrets = secretValues(env);
  let pending = '';
  return {
    push(piece) {
      pending += piece;
      const held = Math.max(0, ...secrets.map((s) => heldBack(pending, s)));
      const ready = pending.slice(0, pending.length - held);
      pending = pending.slice(ready.length);
      return redact(ready, env);
    },
    flush() {
      const rest = redact(pending, env);
      pending = '';
      return rest;
    },
  };
}

/** How many trailing characters of `text` are a proper prefix of `secret`. */
function heldBack(text: string, secret: string): number {
  for (let n = Math.min(secret.length - 1, text.length); n > 0; n--) if (secret.startsWith(text.slice(text.length - n))) return n;
  return 0;
}
