import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import type { BaselineTarget } from '../../config/organization';
import { baselineTemplate, BaselineParameters } from './baseline';

/** Name of the StackSet in the management account. */
export const BASELINE_STACK_SET_NAME = 'clover-enclave-baseline';

export interface EnclaveBaselineProps {
  /** OUs (or the root) holding the enclave accounts: the StackSet deploys to every account there. */
  readonly enclaveOus: readonly string[];
  /**
   * Where the baseline goes: the config's enclave regions inside the organisation's partition and the
   * allowed jurisdictions; regions enabled by default to every account of the OUs, each opt-in region
   * only to the accounts of its enclaves (baselineTargets).
   */
  readonly targets: readonly BaselineTarget[];
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
    const regions = props.targets.flatMap((target) => target.regions);
    if (regions.length === 0 || props.enclaveOus.length === 0) {
      throw new Error(
        `EnclaveBaseline needs at least one region and one OU (got regions [${regions.join(', ')}], OUs [${props.enclaveOus.join(', ')}])`,
      );
    }
    const emptyGroup = props.targets.find((target) => target.accounts?.length === 0);
    if (emptyGroup) {
      throw new Error(
        `EnclaveBaseline: the group of regions [${emptyGroup.regions.join(', ')}] names no account; leave accounts out to target every account of the OUs`,
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
        // Global types are recorded in the first region: one every account of the OUs has when there is one.
        baselineTemplate({ configRecorder: props.configRecorder, globalResourcesRegion: regions[0] }),
      ),
      parameters: Object.entries(props.parameters).map(([parameterKey, parameterValue]) => ({
        parameterKey,
        parameterValue,
      })),
      stackInstancesGroup: props.targets.map((target) => ({
        deploymentTargets: target.accounts
          ? {
              organizationalUnitIds: [...props.enclaveOus],
              accounts: [...target.accounts],
              accountFilterType: 'INTERSECTION',
            }
          : { organizationalUnitIds: [...props.enclaveOus] },
        regions: [...target.regions],
      })),
    });
  }
}
