// Written by scripts/fit-support.ts (npm run fit:support) from the dev splits of datasets/fastify-docs, datasets/npm-docs, datasets/markdownlint-docs, datasets/sotu: do not edit by hand.
import type { SupportModel } from './support.ts';

export const SUPPORT_MODEL: SupportModel = {
  intercept: 1.67596,
  features: {
    sentence: { mean: 0.609857, sd: 0.118122, weight: 0.494108 },
    bm25: { mean: 0.802502, sd: 0.350771, weight: 0.596323 },
    margin: { mean: 0.328979, sd: 0.254475, weight: 0.602222 },
    typeMet: { mean: 0.921689, sd: 0.268661, weight: 0.227154 },
  },
};
