/**
 * Regenerates lib/audit/transforms/sam/policy-templates.json from the AWS SAM
 * translator's policy template catalogue (Apache-2.0; see NOTICE):
 *
 *   npx ts-node --transpile-only scripts/generate-sam-policy-templates.ts \
 *     <serverless-application-model checkout> <commit>
 *
 * Each template keeps its parameter names and its statements (placeholders are
 * `Ref: <Parameter>`, as in the source); descriptions are dropped.
 */
import * as fs from 'fs';
import * as path from 'path';

interface SourceTemplate {
  readonly Definition: { readonly Statement: unknown[] };
  readonly Parameters: Record<string, unknown>;
}

const [checkout, commit] = process.argv.slice(2);
if (!checkout || !commit) {
  process.stderr.write('usage: generate-sam-policy-templates.ts <sam checkout> <commit>\n');
  process.exit(2);
}
const source = path.join(checkout, 'samtranslator', 'policy_templates_data', 'policy_templates.json');
const templates = (
  JSON.parse(fs.readFileSync(source, 'utf8')) as { Templates: Record<string, SourceTemplate> }
).Templates;
const out = {
  source: `aws/serverless-application-model@${commit}: samtranslator/policy_templates_data/policy_templates.json (Apache-2.0)`,
  templates: Object.fromEntries(
    Object.keys(templates)
      .sort()
      .map((name) => [
        name,
        {
          parameters: Object.keys(templates[name].Parameters),
          statements: templates[name].Definition.Statement,
        },
      ]),
  ),
};
const target = path.join(__dirname, '..', 'lib', 'audit', 'transforms', 'sam', 'policy-templates.json');
fs.writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(
  `wrote ${Object.keys(out.templates).length} policy templates to ${path.relative(process.cwd(), target)}\n`,
);
