import type { AuditResult } from '../report';
import { dataFlowText } from './diagram';
import { Block, Cell, markedText, reportDocument } from './document';

/** Table cells: pipes escaped, line breaks flattened. */
function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function cellText(cell: Cell): string {
  return escapeCell(markedText(cell));
}

function renderBlock(block: Block, depth: number): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [
        block.tone === 'bad' ? `**${block.text}**` : block.tone === 'muted' ? `_${block.text}_` : block.text,
        '',
      ];
    case 'table':
      return [
        `| ${block.headers.map(escapeCell).join(' | ')} |`,
        `|${block.headers.map(() => ' --- ').join('|')}|`,
        ...block.rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
        '',
      ];
    case 'lines':
      return ['```text', ...block.lines, '```', ''];
    case 'diagram':
      return ['```text', ...dataFlowText(block.flow), '```', ''];
    case 'subsection':
      return [
        `${'#'.repeat(Math.min(depth + 1, 6))} ${block.title}`,
        '',
        ...block.blocks.flatMap((b) => renderBlock(b, depth + 1)),
      ];
  }
}

/** The evidence report as Markdown (GitHub-flavoured tables). */
export function renderMarkdown(result: AuditResult): string {
  const document = reportDocument(result);
  const lines = [
    `# ${document.title}`,
    '',
    `## Verdict: ${document.verdict.passed ? '✓' : '✗'} ${document.verdict.headline}`,
    '',
    ...document.verdict.details.map((detail) => `- ${detail}`),
    '',
    ...document.sections.flatMap((section) => [
      `## ${section.title}`,
      '',
      ...section.blocks.flatMap((b) => renderBlock(b, 2)),
    ]),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
