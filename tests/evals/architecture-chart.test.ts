import { expect, test } from 'vitest';
import { architectureGraph, renderArchitectureSvg } from '../../evals/report/architecture-chart.ts';
import { configSchema } from '../../starter/config.ts';

const config = (kind: string) => configSchema.parse({ retriever: { kind } });

test('the architecture diagram draws only the retrieval paths the configured retriever uses', () => {
  const ids = (kind: string) => architectureGraph(config(kind)).nodes.map((n) => n.id);
  expect(ids('hybrid')).toEqual(expect.arrayContaining(['embed', 'vectors', 'bm25', 'retriever']));
  expect(ids('dense')).not.toContain('bm25');
  expect(ids('bm25')).not.toContain('embed');
  // Every arrow joins two boxes that are drawn.
  for (const kind of ['hybrid', 'dense', 'bm25']) {
    const { nodes, edges } = architectureGraph(config(kind));
    for (const [from, to] of edges) expect(nodes.some((n) => n.id === from) && nodes.some((n) => n.id === to), `${kind}: ${from} → ${to}`).toBe(true);
  }
});

test('it is a self-contained SVG: one box per node, labels escaped, no script', () => {
  const svg = renderArchitectureSvg(config('hybrid'));
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/<rect /g)).toHaveLength(architectureGraph(config('hybrid')).nodes.length);
  expect(svg).toContain('>hybrid retriever</text>');
  expect(svg).not.toMatch(/<script|href=/);
});
