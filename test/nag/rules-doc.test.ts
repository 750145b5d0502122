import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../../lib/nag/catalogue/rules-doc';
import { CATALOGUE } from '../../lib/nag/rules';

describe('rule catalogue', () => {
  test('docs/rules.md is current (regenerate with `npm run docs:rules`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
    expect(committed).toBe(renderRulesDoc(CATALOGUE));
  });

  test('every rule has a unique ID in one of the six families, with info, explanation, fix and severity', () => {
    const ids = CATALOGUE.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of CATALOGUE) {
      expect(rule.id).toMatch(new RegExp(`^CLV-${rule.family}-\\d+$`));
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.info.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(5);
    }
  });

  test('lists the residency rules as never waivable', () => {
    expect(renderRulesDoc(CATALOGUE)).toMatch(/\| \[CLV-RES-1\]\(#clv-res-1\) \| error \| never \|/);
  });
});
