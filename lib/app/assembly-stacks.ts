import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ACKNOWLEDGMENT_METADATA_TYPE, RecordedAcknowledgment } from '../audit/acknowledgments';
import type { FlowStack } from '../audit/runtime/types';
import { CfnTemplate, TemplateIndex } from '../audit/template';

const UNKNOWN = /^unknown-(account|region)$/;

/**
 * Every stack of a synthesized cloud assembly (Stage assemblies included) as
 * the runtime flow proof sees it: template, environment, construct path of
 * each logical ID and the Clover acknowledgments recorded in it, exactly what
 * `clover audit` reads back from cdk.out.
 */
export function flowStacksOf(
  assembly: CloudAssembly,
  context: { readonly allowJurisdictions: readonly string[]; readonly today: string },
): FlowStack[] {
  return assembly.stacksRecursively.map((artifact) => {
    const paths = new Map<string, string>();
    for (const entry of artifact.findMetadataByType('aws:cdk:logicalId')) {
      if (typeof entry.data === 'string') paths.set(entry.data, entry.path.replace(/^\/+/, ''));
    }
    const acknowledgments: RecordedAcknowledgment[] = artifact
      .findMetadataByType(ACKNOWLEDGMENT_METADATA_TYPE)
      .map((entry) => ({
        ...(entry.data as unknown as Omit<RecordedAcknowledgment, 'path'>),
        path: entry.path.replace(/^\/+/, ''),
      }));
    const { account, region } = artifact.environment;
    const index = new TemplateIndex(artifact.template as CfnTemplate, {
      stackName: artifact.stackName,
      account: UNKNOWN.test(account) ? undefined : account,
      region: UNKNOWN.test(region) ? undefined : region,
      allowJurisdictions: context.allowJurisdictions,
      today: context.today,
    });
    return { index, pathOf: (logicalId: string) => paths.get(logicalId), acknowledgments };
  });
}
