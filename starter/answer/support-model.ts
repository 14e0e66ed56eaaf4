// Written by scripts/fit-support.ts (npm run fit:support) from the dev splits of datasets/fastify-docs, datasets/npm-docs, datasets/markdownlint-docs, datasets/sotu: do not edit by hand.
import type { SupportModel } from './support.ts';

export const SUPPORT_MODEL: SupportModel = {
  intercept: 1.55207,
  features: {
    sentence: { mean: 0.590565, sd: 0.124119, weight: 0.751254 },
    bm25: { mean: 0.724349, sd: 0.332173, weight: 0.438407 },
    margin: { mean: 0.315313, sd: 0.240052, weight: 0.514348 },
    typeMet: { mean: 0.916924, sd: 0.275997, weight: 0.190382 },
  },
};
