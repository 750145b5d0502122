import type { AuditResult } from '../report';
import { dataFlowText } from './diagram';
import { Block, Cell, markedText, reportDocument } from './document';

/**
 * Text from the audited templates, as Markdown shows it: `&`, `<` and `>` as entities, so that a value
 * such as `<img src=x onerror=…>` or `arn:<AWS::Partition>:…` is shown as written, never read as HTML
 * (which a renderer would run, or drop).
 */
function escapeHtml(text: string): string {
  // Inside a code span (`…`) Markdown shows the characters as written: entities there would show as such.
  return text
    .split(/(`+[^`]*`+)/)
    .map((part, position) =>
      position % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    )
    .join('');
}

/** Table cells: HTML as text, pipes escaped, line breaks flattened. */
function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function cellText(cell: Cell): string {
  return escapeCell(markedText(cell));
}

/**
 * A fenced block of text: the fence is longer than any run of backticks in the text, so no line of it
 * (a value holding ```) can close the block early.
 */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(
    0,
    ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))),
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence, ''];
}

function renderBlock(block: Block, depth: number): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [
        block.tone === 'bad'
          ? `**${escapeHtml(block.text)}**`
          : block.tone === 'muted'
            ? `_${escapeHtml(block.text)}_`
            : escapeHtml(block.text),
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
      return fenced(block.lines);
    case 'diagram':
      return fenced(dataFlowText(block.flow));
    case 'subsection':
      return [
        `${'#'.repeat(Math.min(depth + 1, 6))} ${escapeHtml(block.title)}`,
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
    `## Verdict: ${document.verdict.passed ? '✓' : '✗'} ${escapeHtml(document.verdict.headline)}`,
    '',
    ...document.verdict.details.map((detail) => `- ${escapeHtml(detail)}`),
    '',
    ...document.sections.flatMap((section) => [
      `## ${escapeHtml(section.title)}`,
      '',
      ...section.blocks.flatMap((b) => renderBlock(b, 2)),
    ]),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
