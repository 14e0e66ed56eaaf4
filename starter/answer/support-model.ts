// Written by scripts/fit-support.ts (npm run fit:support) from the dev splits of datasets/fastify-docs, datasets/npm-docs, datasets/markdownlint-docs, datasets/sotu: do not edit by hand.
import type { SupportModel } from './support.ts';

export const SUPPORT_MODEL: SupportModel = {
  intercept: 1.60506,
  features: {
    sentence: { mean: 0.609857, sd: 0.118122, weight: 0.473335 },
    bm25: { mean: 0.802502, sd: 0.350771, weight: 0.90506 },
    dense: { mean: 0.607618, sd: 0.106335, weight: 0 },
    rare: { mean: 0.591744, sd: 0.265607, weight: 0 },
    typeMet: { mean: 0.921689, sd: 0.268661, weight: 0.281385 },
  },
};
