import { describe, expect, test } from 'vitest';
import { applyCombo, comboLabel, expandGrid, parseGrid } from '../../evals/experiment.ts';
import { configSchema } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';

const defaults = configSchema.parse({});

describe('experiment grids', () => {
  test('parses key=values axes and expands their cartesian product', () => {
    const axes = parseGrid(['chunkSize=200,400,800', 'k=3,5,10', 'retriever=dense,bm25,hybrid']);
    expect(axes.map((a) => a.values.length)).toEqual([3, 3, 3]);
    const combos = expandGrid(axes);
    expect(combos).toHaveLength(27);
    expect(new Set(combos.map(comboLabel)).size).toBe(27);
    expect(combos[0]).toEqual({ chunkSize: '200', k: '3', retriever: 'dense' });
  });

  test('rejects unknown keys and empty value lists with the list of valid keys', () => {
    expect(() => parseGrid(['topP=0.9'])).toThrow(UserError);
    expect(() => parseGrid(['topP=0.9'])).toThrow(/chunkSize, k, retriever/);
    expect(() => parseGrid(['k='])).toThrow(/at least one value/);
    expect(() => parseGrid([])).toThrow(/at least one/);
  });

  test('applies a combination to the config and validates the result', () => {
    const config = applyCombo(defaults, { chunkSize: '400', k: '3', retriever: 'bm25' });
    expect(config.chunk).toEqual({ mode: 'split', size: 400, overlap: 50 });
    expect(config.retriever.k).toBe(3);
    expect(config.retriever.kind).toBe('bm25');
    expect(defaults.retriever.k).toBe(5);
  });

  test('an invalid value is a UserError naming the grid', () => {
    expect(() => applyCombo(defaults, { retriever: 'colbert' })).toThrow(/--grid retriever=colbert/);
    expect(() => applyCombo(defaults, { k: 'many' })).toThrow(/not a number/);
  });
});
