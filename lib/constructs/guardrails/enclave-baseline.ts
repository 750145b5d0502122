import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { baselineTemplate, BaselineParameters } from './baseline';

/** Name of the StackSet in the management account. */
export const BASELINE_STACK_SET_NAME = 'clover-enclave-baseline';

export interface EnclaveBaselineProps {
  /** OUs (or the root) holding the enclave accounts: the StackSet deploys to every account there. */
  readonly enclaveOus: readonly string[];
  /**
   * Regions of the baseline: the config's enclave regions inside the organisation's partition and the
   * allowed jurisdictions, opt-in regions only where an enclave lives.
   */
  readonly regions: readonly string[];
  /** Whether the baseline creates the AWS Config recorder (off where the landing zone already records). */
  readonly configRecorder: boolean;
  /** Names of the monitoring plane the baseline delivers to and trusts. */
  readonly parameters: BaselineParameters;
}

/**
 * A service-managed StackSet with automatic deployment: the organisation baseline reaches every account
 * of the enclave OUs, and every account moved into them later, in each of the given regions.
 */
export class EnclaveBaseline extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: EnclaveBaselineProps) {
    super(scope, id);
    if (props.regions.length === 0 || props.enclaveOus.length === 0) {
      throw new Error(
        `EnclaveBaseline needs at least one region and one OU (got regions [${props.regions.join(', ')}], OUs [${props.enclaveOus.join(', ')}])`,
      );
    }
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: BASELINE_STACK_SET_NAME,
      description:
        'Clover: AWS Config recorder and trail-check role in every enclave account, in the enclaves’ regions',
      permissionModel: 'SERVICE_MANAGED',
      // New accounts in the enclave OUs get the baseline; one that leaves keeps its stacks (and its evidence).
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: 25,
        failureToleranceCount: 0,
      },
      templateBody: JSON.stringify(
        baselineTemplate({ configRecorder: props.configRecorder, globalResourcesRegion: props.regions[0] }),
      ),
      parameters: Object.entries(props.parameters).map(([parameterKey, parameterValue]) => ({
        parameterKey,
        parameterValue,
      })),
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.enclaveOus] },
          regions: [...props.regions],
        },
      ],
    });
  }
}
