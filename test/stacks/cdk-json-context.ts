import * as fs from 'fs';
import * as path from 'path';

/**
 * The context of cdk.json (feature flags such as `@aws-cdk/core:enablePartitionLiterals`), which the
 * CDK CLI passes to the app but `buildTestApp` does not; tests that judge the gate use it so they see
 * what `cdk synth` sees.
 */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;
