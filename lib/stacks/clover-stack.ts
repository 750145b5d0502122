import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describeRegion, findRegion } from '../config/regions';
import { ENCLAVE_METADATA_KEY, EnclaveMetadata } from '../config/enclave-metadata';
import { applyDesignDecisions } from './design-decisions';
import { partitionAware } from './partition-literals';

export interface CloverStackProps extends StackProps {
  /** Account and region; required: an environment-agnostic Clover stack is an error. */
  readonly env: { readonly account: string; readonly region: string };
  /** Recorded in the template's `Clover::Enclave` metadata, so audits see it without the source. */
  readonly enclave: EnclaveMetadata;
  /** `clover:data-classification` tag value. */
  readonly dataClassification: string;
}

/**
 * Base of every Clover stack: explicit env, the three Clover tags on every
 * resource, and the enclave metadata that `clover audit` reads.
 */
export class CloverStack extends Stack {
  public readonly enclave: EnclaveMetadata;

  constructor(scope: Construct, id: string, props: CloverStackProps) {
    super(scope, id, { analyticsReporting: false, terminationProtection: true, ...props });
    this.enclave = props.enclave;
    this.templateOptions.metadata = { [ENCLAVE_METADATA_KEY]: props.enclave };
    const region = findRegion(props.env.region);
    Tags.of(this).add('clover:enclave', props.enclave.name);
    Tags.of(this).add('clover:jurisdiction', region?.jurisdiction ?? describeRegion(props.env.region));
    Tags.of(this).add('clover:data-classification', props.dataClassification);
    // Clover's design decisions, from one register (docs/acknowledgments.md): they never expire.
    applyDesignDecisions(this);
  }

  /** The template, with the partition literals CDK renders made partition-aware (see partition-literals.ts). */
  protected _toCloudFormation(): Record<string, unknown> {
    const template = super._toCloudFormation() as Record<string, unknown>;
    const { Resources, Outputs, ...rest } = template;
    return {
      ...rest,
      Resources: partitionAware(Resources),
      ...(Outputs ? { Outputs: partitionAware(Outputs) } : {}),
    };
  }
}
