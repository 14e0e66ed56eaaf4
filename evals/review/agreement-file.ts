import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UserError } from '../../starter/errors.ts';
import { describeZodError } from '../../starter/jsonl.ts';
import { type AgreementReport, agreementReportSchema } from './agreement.ts';
import { agreementPath, labelsDigest, labelsPath } from './labels.ts';

/** evals/agreement.json for the write-up, marked stale when evals/labels.jsonl changed after it was written; undefined when there is none. */
export async function readAgreement(root: string, rel: (file: string) => string): Promise<{ file: string; value: AgreementReport; stale: boolean } | undefined> {
  const file = agreementPath(root);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UserError(`${file}: not valid JSON. Write it again with \`ragfolio review --report\`.`);
  }
  const parsed = agreementReportSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)}. Write it again with \`ragfolio review --report\`.`);
  return { file: rel(file), value: parsed.data, stale: parsed.data.labelsSha256 !== (await labelsDigest(labelsPath(root))) };
}
