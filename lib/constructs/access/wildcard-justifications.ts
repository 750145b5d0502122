import { Aspects, CfnResource, IAspect } from 'aws-cdk-lib';
import { rules } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledge } from '../../nag/acknowledge';

/**
 * cdk-nag renders the partition as `<AWS::Partition>`, or as its name when the partition is known at
 * synth (`@aws-cdk/core:enablePartitionLiterals`); justifications are written against the token form.
 */
export function withPartitionToken(finding: string): string {
  return finding.replace(/\barn:aws(-[a-z]+)*:/g, 'arn:<AWS::Partition>:');
}

/** Why one kind of IAM wildcard is acceptable. */
export interface WildcardJustification {
  /** Matches the AwsSolutions-IAM5 finding it justifies (`Resource::…` or `Action::…`), partition written `<AWS::Partition>`. */
  readonly finding: RegExp;
  readonly reason: string;
  /** Last day (`YYYY-MM-DD`) the justification holds. */
  readonly expires: string;
}

/** The cdk-nag rule whose granular findings (`AwsSolutions-IAM5[<finding>]`) are justified here. */
const RULE = 'AwsSolutions-IAM5';

/**
 * Acknowledges AwsSolutions-IAM5 findings below `scope` one by one: each wildcard that cdk-nag's own
 * rule reports is acknowledged (with Clover's `acknowledge`, so it is recorded for audits) only when a
 * justification matches it. A new, unexplained wildcard still fails the gate.
 */
export function justifyIamWildcards(
  scope: IConstruct,
  justifications: readonly WildcardJustification[],
): void {
  Aspects.of(scope).add(new JustifyIamWildcards(justifications));
}

class JustifyIamWildcards implements IAspect {
  constructor(private readonly justifications: readonly WildcardJustification[]) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const findings = rules.iam.IAMNoWildcardPermissions(node);
    if (!Array.isArray(findings)) return;
    for (const finding of findings as string[]) {
      const normalised = withPartitionToken(finding);
      const justification = this.justifications.find((candidate) => candidate.finding.test(normalised));
      if (!justification) continue;
      acknowledge(node, {
        rule: `${RULE}[${finding}]`,
        reason: justification.reason,
        expires: justification.expires,
      });
    }
  }
}
