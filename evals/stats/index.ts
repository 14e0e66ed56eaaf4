export { binomialHalfCdf, binomialHalfTwoSidedP } from './binomial.ts';
export { type BootstrapOptions, bootstrapCi, bootstrapCis, bootstrapMeans, bootstrapMeansShared, type MeanCi } from './bootstrap.ts';
export { type ConformalThreshold, conformalRank, conformalThreshold, minimumScores } from './conformal.ts';
export { holmAdjust } from './holm.ts';
export { type BinaryOutcomes, exactMcNemar, type McNemarResult } from './mcnemar.ts';
export { mean, sampleVariance } from './moments.ts';
export { normalCdf, normalPdf, normalPpf, normalSf, zTwoSided } from './normal.ts';
export {
  differences,
  EXACT_MAX_NONZERO,
  type PairedCi,
  type PermutationOptions,
  type PermutationResult,
  pairedBootstrap,
  pairedBootstraps,
  pairedPermutationTest,
} from './paired.ts';
export {
  mdeMean,
  mdeProportion,
  type PowerOptions,
  sampleSizeForEffect,
  sampleSizeForProportionDrop,
  zSum,
} from './power.ts';
export { quantile, quantileSorted } from './quantile.ts';
export { createRng, type Rng } from './rng.ts';
export { type ProportionCi, wilsonInterval } from './wilson.ts';
