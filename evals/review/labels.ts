import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../starter/errors.ts';
import { writeFileAtomic } from '../../starter/fs-atomic.ts';
import { sha256 } from '../../starter/hash.ts';
import { parseJsonl, readTextOrFail } from '../../starter/jsonl.ts';
import { type ReviewLabelInput, reviewLabelInputSchema } from '../../starter/server/review.ts';

/** One line of evals/labels.jsonl: a person's judgement of one answer text to one question. */
export const labelSchema = reviewLabelInputSchema.extend({ labeledAt: z.string().min(1) });
export type Label = z.infer<typeof labelSchema>;

const FIX = 'Each line is {"id", "answerHash", "label": "right"|"wrong"|"should_abstain"|"gold_wrong", "category", "note", "labeledAt"}; fix or delete the line, or relabel it with `ragfolio review`.';

/** Git-tracked next to the baseline: labels are evidence, like the eval set. */
export function labelsPath(root: string): string {
  return join(root, 'evals', 'labels.jsonl');
}

/** Where `ragfolio review --report` writes its numbers for the write-up. */
export function agreementPath(root: string): string {
  return join(root, 'evals', 'agreement.json');
}

/** sha256 of the labels file's bytes ('' hashed when there is none): ties a report to the labels it counted. */
export async function labelsDigest(file: string): Promise<string> {
  return sha256(existsSync(file) ? await readFile(file) : '');
}

/** The sha256 of an answer's text: a label applies to a later run's record only while the answer is unchanged. */
export function answerHash(answer: string): string {
  return sha256(answer);
}

const key = (id: string, hash: string) => `${id}\u0000${hash}`;

/** Labels by (id, answer hash); a later line for the same pair replaces an earlier one. Missing file: none yet. */
export async function readLabels(file: string): Promise<Map<string, Label>> {
  if (!existsSync(file)) return new Map();
  const text = await readTextOrFail(file, 'labels file', FIX);
  return indexLabels(parseJsonl(text, labelSchema, file, FIX).map(({ value }) => value));
}

/** Labels by (id, answer hash), later ones replacing earlier ones for the same pair: what `findLabel` looks in. */
export function indexLabels(labels: Iterable<Label>): Map<string, Label> {
  return new Map([...labels].map((l) => [key(l.id, l.answerHash), l]));
}

export function findLabel(labels: ReadonlyMap<string, Label>, id: string, answer: string): Label | undefined {
  return labels.get(key(id, answerHash(answer)));
}

/**
 * Add or replace one label and rewrite the file atomically (temp file, then rename), sorted by id so the
 * git diff of a labelling session stays readable. Writes are serialised: two quick keystrokes never race.
 */
export function createLabelStore(file: string, now: () => Date = () => new Date()) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read: () => readLabels(file),
    save(input: ReviewLabelInput): Promise<Label> {
      const parsed = reviewLabelInputSchema.safeParse(input);
      if (!parsed.success) throw new UserError(`label for ${input.id}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      const label: Label = { ...parsed.data, labeledAt: now().toISOString() };
      const write = queue.then(async () => {
        const labels = await readLabels(file);
        labels.set(key(label.id, label.answerHash), label);
        const lines = [...labels.values()].sort((a, b) => a.id.localeCompare(b.id) || a.labeledAt.localeCompare(b.labeledAt));
        await writeFileAtomic(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
        return label;
      });
      queue = write.catch(() => undefined);
      return write;
    },
  };
}
