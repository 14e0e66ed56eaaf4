import { z } from 'zod';
import { npmNameProblems } from './package-name.ts';

export const PROVIDERS = ['local', 'openai'] as const;
export type Provider = (typeof PROVIDERS)[number];
export const RETRIEVERS = ['hybrid', 'dense', 'bm25'] as const;
export type Retriever = (typeof RETRIEVERS)[number];

export const npmNameSchema = z.string().superRefine((name, ctx) => {
  for (const problem of npmNameProblems(name)) ctx.addIssue({ code: 'custom', message: problem });
});

const datasetFileSchema = z.object({ path: z.string().regex(/^[a-z0-9._-]+$/i, 'a file name without folders'), content: z.string() });

/** Where the data comes from: the bundled dataset, or one the user brought, already converted. */
export const datasetChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundled'), name: z.string().min(1) }),
  z.object({
    kind: z.enum(['folder', 'jsonl', 'beir']),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a folder name of lowercase letters, digits and dashes'),
    source: z.string(),
    files: z.array(datasetFileSchema).min(1),
    passages: z.number().int().positive(),
    documents: z.number().int().positive(),
    questions: z.number().int().nonnegative(),
    notes: z.array(z.string()),
  }),
]);

/** What the plan depends on: the answers that change which files a project gets and what they say. */
export const scaffoldOptionsSchema = z
  .object({
    name: npmNameSchema,
    /** The person whose project it is; the README tells the story in their name. */
    author: z.string().trim().max(200),
    provider: z.enum(PROVIDERS),
    retriever: z.enum(RETRIEVERS),
    promptfoo: z.boolean(),
    dataset: datasetChoiceSchema,
  })
  .strict();
export type ScaffoldOptions = z.infer<typeof scaffoldOptionsSchema>;

/** `ragfolio new` flags as commander hands them over; every prompt has one. undefined = not given. */
export const newFlagsSchema = z
  .object({
    name: z.string().optional(),
    author: z.string().optional(),
    dataset: z.string().min(1).optional(),
    provider: z.enum(PROVIDERS, { message: `--provider must be one of ${PROVIDERS.join(', ')}` }).optional(),
    retriever: z.enum(RETRIEVERS, { message: `--retriever must be one of ${RETRIEVERS.join(', ')}` }).optional(),
    install: z.boolean().optional(),
    git: z.boolean().optional(),
    promptfoo: z.boolean().optional(),
    yes: z.boolean().optional(),
    force: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();
export type NewFlags = z.infer<typeof newFlagsSchema>;

/** The answers after flags, prompts and defaults: nothing is left undefined. */
export interface NewAnswers {
  dir: string;
  name: string;
  author: string;
  dataset: string;
  provider: Provider;
  retriever: Retriever;
  promptfoo: boolean;
  install: boolean;
  git: boolean;
}

export const DEFAULT_ANSWERS = { dataset: 'sotu', provider: 'local', retriever: 'hybrid', promptfoo: true, install: true, git: true } as const satisfies Partial<NewAnswers>;
