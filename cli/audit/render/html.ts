import type { AuditResult } from '../report';
import { dataFlowSvg } from './diagram';
import { Block, Cell, markedText, reportDocument } from './document';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Inline, so the report is one self-contained file (no external assets, no scripts). */
const STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0; padding: 24px 32px 64px; max-width: 1280px; }
h1 { font-size: 24px; margin: 0 0 16px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 6px; }
.verdict { border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; border: 2px solid; }
.verdict.pass { border-color: var(--ok); background: #dafbe1; }
.verdict.fail { border-color: var(--bad); background: #ffebe9; }
.verdict .headline { font-size: 20px; font-weight: 700; margin: 0 0 6px; }
.verdict.pass .headline { color: var(--ok); }
.verdict.fail .headline { color: var(--bad); }
.verdict ul { margin: 0; padding-left: 20px; }
nav { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin-bottom: 8px; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: var(--bg); font-weight: 600; }
td.ok { color: var(--ok); }
td.bad { color: var(--bad); font-weight: 600; }
td.warn { color: var(--warn); }
td.muted, p.muted { color: var(--muted); }
p.bad { color: var(--bad); font-weight: 600; }
p.ok { color: var(--ok); }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; overflow-x: auto; font-size: 12px; }
svg.flow { width: 100%; max-width: 940px; height: auto; display: block; margin: 8px 0; }
.flow-box.present { fill: #dafbe1; stroke: var(--ok); stroke-width: 2; }
.flow-box.absent { fill: #ffffff; stroke: var(--muted); stroke-width: 1.5; }
.flow-title { font: 600 14px system-ui, sans-serif; fill: #1f2328; }
.flow-detail { font: 11px system-ui, sans-serif; fill: #57606a; }
.flow-arrow { fill: none; stroke: #57606a; stroke-width: 1.5; }
.flow-head { fill: #57606a; }
.flow-label { font: italic 11px system-ui, sans-serif; fill: #57606a; }
`;

function renderCell(cell: Cell): string {
  return `<td${cell.tone ? ` class="${cell.tone}"` : ''}>${escapeHtml(markedText(cell))}</td>`;
}

function renderBlock(block: Block, depth: number): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p${block.tone ? ` class="${block.tone}"` : ''}>${escapeHtml(markedText(block))}</p>`;
    case 'table':
      return [
        '<table>',
        `<thead><tr>${block.headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr></thead>`,
        '<tbody>',
        ...block.rows.map((row) => `<tr>${row.map(renderCell).join('')}</tr>`),
        '</tbody></table>',
      ].join('\n');
    case 'lines':
      return `<pre>${escapeHtml(block.lines.join('\n'))}</pre>`;
    case 'diagram':
      return dataFlowSvg(block.flow);
    case 'subsection': {
      const level = Math.min(depth + 1, 6);
      return [
        `<section id="${escapeHtml(block.id)}">`,
        `<h${level}>${escapeHtml(block.title)}</h${level}>`,
        ...block.blocks.map((b) => renderBlock(b, depth + 1)),
        '</section>',
      ].join('\n');
    }
  }
}

/** The evidence report as one self-contained HTML page: inline CSS and SVG, no scripts, no external assets. */
export function renderHtml(result: AuditResult): string {
  const document = reportDocument(result);
  const { verdict } = document;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(`${result.report.tool} ${result.report.version}`)}">`,
    `<title>${escapeHtml(`${document.title} (${verdict.passed ? 'PASS' : 'FAIL'})`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(document.title)}</h1>`,
    `<section id="verdict" class="verdict ${verdict.passed ? 'pass' : 'fail'}">`,
    `<p class="headline">${escapeHtml(verdict.headline)}</p>`,
    `<ul>${verdict.details.map((detail) => `<li>${escapeHtml(detail)}</li>`).join('')}</ul>`,
    '</section>',
    `<nav>${document.sections.map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`).join('')}</nav>`,
    ...document.sections.map((section) =>
      [
        `<section id="${section.id}">`,
        `<h2>${escapeHtml(section.title)}</h2>`,
        ...section.blocks.map((block) => renderBlock(block, 2)),
        '</section>',
      ].join('\n'),
    ),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
