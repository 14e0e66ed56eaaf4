/** A small, dependency-free SVG bar chart with error bars: what a results page needs, and testable as text. */
export interface Bar {
  label: string;
  value: number;
  lo: number;
  hi: number;
}

export interface BarChart {
  title: string;
  /** Axis maximum; values are clamped to [0, max]. */
  max: number;
  bars: Bar[];
}

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderBarChart({ title, max, bars }: BarChart): string {
  const rowHeight = 28;
  const labelWidth = 220;
  const plotWidth = 360;
  const top = 36;
  const height = top + bars.length * rowHeight + 30;
  const width = labelWidth + plotWidth + 80;
  const x = (v: number) => labelWidth + (Math.min(Math.max(v, 0), max) / max) * plotWidth;
  const rows = bars.map((b, i) => {
    const y = top + i * rowHeight;
    const mid = y + rowHeight / 2;
    return [
      `<text x="${labelWidth - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 5}" width="${(x(b.value) - labelWidth).toFixed(1)}" height="${rowHeight - 10}" fill="#4c78a8"/>`,
      `<line x1="${x(b.lo).toFixed(1)}" x2="${x(b.hi).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#222" stroke-width="1.5"/>`,
      `<line x1="${x(b.lo).toFixed(1)}" x2="${x(b.lo).toFixed(1)}" y1="${mid - 5}" y2="${mid + 5}" stroke="#222"/>`,
      `<line x1="${x(b.hi).toFixed(1)}" x2="${x(b.hi).toFixed(1)}" y1="${mid - 5}" y2="${mid + 5}" stroke="#222"/>`,
      `<text x="${(x(b.hi) + 6).toFixed(1)}" y="${mid + 4}">${b.value.toFixed(3)}</text>`,
    ].join('');
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const v = t * max;
    return `<line x1="${x(v)}" x2="${x(v)}" y1="${top}" y2="${height - 26}" stroke="#ddd"/><text x="${x(v)}" y="${height - 10}" text-anchor="middle">${v.toFixed(2)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${labelWidth}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...ticks,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
