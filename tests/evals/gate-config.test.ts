import { expect, test } from 'vitest';
import { parseConfig } from '../../starter/config.ts';
import { isUserError } from '../../starter/errors.ts';

test('eval.gate: margin, power and strict have defaults; the old tolerance is refused with the fix', () => {
  expect(parseConfig({}, 'ragfolio.config.json').eval.gate).toEqual({ metrics: ['hit@5', 'ndcg@10', 'contains'], margin: 0.05, power: 0.8, strict: false });
  expect(parseConfig({ eval: { gate: { margin: 0.02, strict: true } } }, 'ragfolio.config.json').eval.gate).toMatchObject({ margin: 0.02, strict: true });
  let error: unknown;
  try {
    parseConfig({ eval: { gate: { tolerance: 0.03 } } }, 'ragfolio.config.json');
  } catch (e) {
    error = e;
  }
  expect(isUserError(error)).toBe(true);
  expect(String(error)).toMatch(/ragfolio\.config\.json: eval\.gate\.tolerance.*replaced by eval\.gate\.margin/);
  expect(() => parseConfig({ eval: { gate: { margin: 0 } } }, 'ragfolio.config.json')).toThrow(/margin/);
});
