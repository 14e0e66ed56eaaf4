import type { RiskCoverage, RiskCoveragePoint } from '../metrics/risk-coverage.ts';

const W = 420;
const H = 300;
const PAD = { left: 52, right: 16, top: 34, bottom: 44 };

/** The risk–coverage curve as an SVG step line, the operating point marked: for the write-up. */
export function renderRiskCoverageSvg(curve: RiskCoverage, operating: RiskCoveragePoint, title: string): string {
  const x = (coverage: number) => PAD.left + coverage * (W - PAD.left - PAD.right);
  const y = (risk: number) => H - PAD.bottom - risk * (H - PAD.top - PAD.bottom);
  const path = curve.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.coverage).toFixed(1)},${y(p.risk).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].flatMap((t) => [
    `<line x1="${x(t)}" x2="${x(t)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#eee"/><text x="${x(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${t}</text>`,
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
  ]);
  const label = `threshold ${operating.threshold.toFixed(2)}: coverage ${operating.coverage.toFixed(2)}, risk ${operating.risk.toFixed(2)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<text x="${PAD.left}" y="18" font-size="13" font-weight="bold">${title}</text>`,
    ...ticks,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">coverage (share answered)</text>`,
    `<text x="14" y="${(PAD.top + H - PAD.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(PAD.top + H - PAD.bottom) / 2})">risk (wrong among answered)</text>`,
    `<path d="${path}" fill="none" stroke="#4c78a8" stroke-width="2"/>`,
    `<circle cx="${x(operating.coverage).toFixed(1)}" cy="${y(operating.risk).toFixed(1)}" r="5" fill="#e45756"/>`,
    // Right of the point in the left half, left of it in the right half, so the label stays inside the chart.
    `<text x="${(x(operating.coverage) + (operating.coverage < 0.5 ? 8 : -8)).toFixed(1)}" y="${(y(operating.risk) - 10).toFixed(1)}" text-anchor="${operating.coverage < 0.5 ? 'start' : 'end'}" fill="#e45756">${label}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** One line for a terminal: the operating point and the curve's area. */
export function riskCoverageLine(curve: RiskCoverage, operating: RiskCoveragePoint): string {
  return `risk–coverage: at threshold ${operating.threshold.toFixed(2)} the answerer answers ${(100 * operating.coverage).toFixed(0)}% of ${curve.n} questions and is wrong on ${(100 * operating.risk).toFixed(0)}% of those (AURC ${curve.aurc.toFixed(3)}, lower is better)`;
}
