export { createRng, type Rng } from './rng.ts';
export { mean, sampleVariance } from './moments.ts';
export { quantile, quantileSorted } from './quantile.ts';
export { normalCdf, normalSf, normalPdf, normalPpf, zTwoSided } from './normal.ts';
export { bootstrapCi, bootstrapMeans, type BootstrapOptions, type MeanCi } from './bootstrap.ts';
export { wilsonInterval, type ProportionCi } from './wilson.ts';
export {
  pairedBootstrap,
  pairedPermutationTest,
  differences,
  EXACT_MAX_NONZERO,
  type PairedCi,
  type PermutationOptions,
  type PermutationResult,
} from './paired.ts';
export { binomialHalfCdf, binomialHalfTwoSidedP } from './binomial.ts';
export { exactMcNemar, type McNemarResult, type BinaryOutcomes } from './mcnemar.ts';
export { holmAdjust } from './holm.ts';
export {
  mdeMean,
  mdeProportion,
  sampleSizeForEffect,
  sampleSizeForProportionDrop,
  zSum,
  type PowerOptions,
} from './power.ts';
