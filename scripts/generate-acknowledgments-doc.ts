// Writes docs/acknowledgments.md from the register of design decisions: `npm run docs:acknowledgments`.
import * as fs from 'fs';
import * as path from 'path';
import { renderAcknowledgmentsDoc } from '../lib/stacks/design-decisions-doc';
import { DESIGN_DECISIONS } from '../lib/stacks/design-decisions';
import { designDecisionSites } from './design-decision-sites';

const target = path.join(__dirname, '..', 'docs', 'acknowledgments.md');
fs.writeFileSync(
  target,
  renderAcknowledgmentsDoc(DESIGN_DECISIONS, designDecisionSites(path.join(__dirname, '..'))),
);
process.stdout.write(
  `wrote ${path.relative(process.cwd(), target)} (${DESIGN_DECISIONS.length} design decisions)\n`,
);
