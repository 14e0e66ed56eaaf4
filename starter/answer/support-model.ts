// Written by scripts/fit-support.ts (npm run fit:support) from the dev splits of datasets/fastify-docs, datasets/npm-docs, datasets/markdownlint-docs, datasets/sotu: do not edit by hand.
import type { SupportModel } from './support.ts';

export const SUPPORT_MODEL: SupportModel = {
  intercept: 1.54352,
  features: {
    sentence: { mean: 0.597391, sd: 0.121227, weight: 0.769266 },
    bm25: { mean: 0.724349, sd: 0.332173, weight: 0.401179 },
    margin: { mean: 0.315313, sd: 0.240052, weight: 0.51188 },
    typeMet: { mean: 0.933976, sd: 0.248325, weight: 0.190421 },
  },
};
