// Regenerates the registry snapshot from the pinned @aws-cdk/aws-service-spec and
// writes docs/coverage.md from the rules' metadata: `npm run docs:coverage`.
import * as fs from 'fs';
import * as path from 'path';
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { renderCoverageDoc } from '../lib/nag/catalogue/coverage-doc';
import { ALL_RULES } from '../lib/nag/rules';
import { scanRegistry } from './coverage/registry-scan';

const root = path.join(__dirname, '..');
const version = (require('@aws-cdk/aws-service-spec/package.json') as { version: string }).version;
const snapshot = scanRegistry(loadAwsServiceSpecSync(), `@aws-cdk/aws-service-spec ${version}`);
const snapshotFile = path.join(root, 'lib', 'audit', 'coverage', 'registry-snapshot.json');
fs.writeFileSync(snapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`);
const docFile = path.join(root, 'docs', 'coverage.md');
fs.writeFileSync(docFile, renderCoverageDoc(ALL_RULES, snapshot));
process.stdout.write(
  `wrote ${path.relative(process.cwd(), snapshotFile)} (${snapshot.resourceTypes} registry types) and ${path.relative(process.cwd(), docFile)}\n`,
);
