import { describe, expect, test } from 'vitest';
import { operatingPoint, riskCoverage } from '../../../evals/metrics/risk-coverage.ts';
import { renderRiskCoverageSvg, riskCoverageLine } from '../../../evals/report/risk-coverage-chart.ts';

describe('riskCoverage', () => {
  const records = [
    { confidence: 0.9, correctIfAnswered: true },
    { confidence: 0.8, correctIfAnswered: true },
    { confidence: 0.6, correctIfAnswered: false },
    { confidence: 0.6, correctIfAnswered: true },
    { confidence: 0.2, correctIfAnswered: false },
    { correctIfAnswered: true }, // no confidence: not on the curve
  ];
  const curve = riskCoverage(records)!;

  test('one point per distinct threshold, from answering everything to answering least', () => {
    expect(curve.n).toBe(5);
    expect(curve.points).toEqual([
      { threshold: 0.2, coverage: 1, risk: 2 / 5, answered: 5 },
      { threshold: 0.6, coverage: 4 / 5, risk: 1 / 4, answered: 4 },
      { threshold: 0.8, coverage: 2 / 5, risk: 0, answered: 2 },
      { threshold: 0.9, coverage: 1 / 5, risk: 0, answered: 1 },
    ]);
  });

  test('AURC is the mean over coverage levels of the risk at that level (ties in sorted order)', () => {
    // Sorted by confidence: ok, ok, (wrong, ok in input order), wrong → risks 0, 0, 1/3, 1/4, 2/5.
    expect(curve.aurc).toBeCloseTo((0 + 0 + 1 / 3 + 1 / 4 + 2 / 5) / 5, 12);
  });

  test('an operating point is the first point at or above the threshold', () => {
    expect(operatingPoint(curve, 0.5)).toEqual(curve.points[1]);
    expect(operatingPoint(curve, 0.6)).toEqual(curve.points[1]);
    expect(operatingPoint(curve, 0.95)).toEqual({ threshold: 0.95, coverage: 0, risk: 0, answered: 0 });
  });

  test('no labelled record, no curve', () => {
    expect(riskCoverage([{ confidence: 0.3 }])).toBeUndefined();
  });
});

describe('the risk–coverage chart and line', () => {
  const curve = riskCoverage([
    { confidence: 0.9, correctIfAnswered: true },
    { confidence: 0.5, correctIfAnswered: false },
  ])!;
  const at = operatingPoint(curve, 0.5);
  test('the SVG draws the curve and marks the operating point with its numbers', () => {
    const svg = renderRiskCoverageSvg(curve, at, 'risk–coverage (dev)');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('<path d="M');
    expect(svg).toContain('threshold 0.50: coverage 1.00, risk 0.50');
    // In the right half the label sits left of the point, so it stays inside the chart.
    expect(svg).toContain('text-anchor="end"');
  });
  test('the terminal line states coverage, risk and AURC', () => {
    expect(riskCoverageLine(curve, at)).toBe('risk–coverage: at threshold 0.50 the answerer answers 100% of 2 questions and is wrong on 50% of those (AURC 0.250, lower is better)');
  });
});
