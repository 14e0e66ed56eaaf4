// The write-up's architecture diagram as a plain SVG drawn from the config: a static site and GitHub both show
// it as an image, with no diagram script to load (a Mermaid block was shown as raw text on the site).
import type { Config } from '../../starter/config.ts';
import { escapeXml } from './svg.ts';

interface Node {
  id: string;
  label: string;
  col: number;
  /** 0: the dense path, 1: the main line, 2: the BM25 path. */
  row: number;
}

const COL = 175;
const ROW = 62;
const BOX = { w: 150, h: 36 };
const PAD = 12;

/** The pipeline's boxes and arrows for this config: only the retrieval paths the retriever uses. */
export function architectureGraph(config: Config): { nodes: Node[]; edges: [string, string][] } {
  const kind = config.retriever.kind;
  const store = (config as { store?: { kind: string } }).store?.kind ?? 'hnswlib';
  const dense = kind !== 'bm25';
  const sparse = kind !== 'dense';
  const nodes: Node[] = [
    { id: 'corpus', label: 'corpus.jsonl', col: 0, row: 1 },
    { id: 'chunker', label: 'chunker', col: 1, row: 1 },
    ...(dense
      ? [
          { id: 'embed', label: 'embeddings + cache', col: 2, row: 0 },
          { id: 'vectors', label: `${store} index`, col: 3, row: 0 },
        ]
      : []),
    ...(sparse ? [{ id: 'bm25', label: 'BM25 index', col: 3, row: 2 }] : []),
    { id: 'question', label: 'question', col: 3, row: 1 },
    { id: 'retriever', label: `${kind} retriever`, col: 4, row: 1 },
    { id: 'answerer', label: `${config.generator.provider} answerer`, col: 5, row: 1 },
    { id: 'answer', label: 'answer + citations', col: 6, row: 1 },
    { id: 'eval', label: 'eval: CIs, paired tests', col: 7, row: 1 },
  ];
  const edges: [string, string][] = [
    ['corpus', 'chunker'],
    ...(dense
      ? ([
          ['chunker', 'embed'],
          ['embed', 'vectors'],
          ['vectors', 'retriever'],
        ] as [string, string][])
      : []),
    ...(sparse
      ? ([
          ['chunker', 'bm25'],
          ['bm25', 'retriever'],
        ] as [string, string][])
      : []),
    ['question', 'retriever'],
    ['retriever', 'answerer'],
    ['answerer', 'answer'],
    ['answer', 'eval'],
  ];
  return { nodes, edges };
}

export function renderArchitectureSvg(config: Config): string {
  const { nodes, edges } = architectureGraph(config);
  const at = new Map(nodes.map((n) => [n.id, { x: PAD + n.col * COL, y: PAD + n.row * ROW }]));
  const width = PAD * 2 + Math.max(...nodes.map((n) => n.col)) * COL + BOX.w;
  const height = PAD * 2 + 2 * ROW + BOX.h;
  const arrows = edges.map(([from, to]) => {
    const a = at.get(from);
    const b = at.get(to);
    if (!a || !b) throw new Error(`architecture: no node ${a ? to : from}`);
    const [x1, y1, x2, y2] = [a.x + BOX.w, a.y + BOX.h / 2, b.x, b.y + BOX.h / 2];
    const bend = x2 - 12;
    const points = y1 === y2 ? `${x1},${y1} ${x2},${y2}` : `${x1},${y1} ${bend},${y1} ${bend},${y2} ${x2},${y2}`;
    return `<polyline points="${points}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`;
  });
  const boxes = nodes.map((n) => {
    const { x, y } = at.get(n.id) ?? { x: 0, y: 0 };
    return `<rect x="${x}" y="${y}" width="${BOX.w}" height="${BOX.h}" rx="6" fill="#eef3fb" stroke="#3b6fb6"/><text x="${x + BOX.w / 2}" y="${y + BOX.h / 2 + 4}" text-anchor="middle">${escapeXml(n.label)}</text>`;
  });
  const title = `architecture: ${config.retriever.kind} retrieval, ${config.generator.provider} answers`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ...arrows,
    ...boxes,
    '</svg>',
    '',
  ].join('\n');
}
