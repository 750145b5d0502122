import type { ReportFormat } from '../options';
import type { AuditResult } from '../report';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

/** The JSON report: the schema of docs/audit.md, keys in a fixed order, two-space indent. */
export function renderJson(result: AuditResult): string {
  return `${JSON.stringify(result.report, null, 2)}\n`;
}

export function renderReport(result: AuditResult, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'md':
      return renderMarkdown(result);
    case 'html':
      return renderHtml(result);
    case 'text':
      return renderText(result);
  }
}
