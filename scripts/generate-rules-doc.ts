// Writes docs/rules.md from the rules' metadata: `npm run docs:rules`.
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../lib/nag/catalogue/rules-doc';
import { CATALOGUE } from '../lib/nag/rules';

const target = path.join(__dirname, '..', 'docs', 'rules.md');
fs.writeFileSync(target, renderRulesDoc(CATALOGUE));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)} (${CATALOGUE.length} rules)\n`);
