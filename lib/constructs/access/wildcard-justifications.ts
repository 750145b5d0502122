/**
 * cdk-nag renders the partition as `<AWS::Partition>`, or as its name when the partition is known at
 * synth (`@aws-cdk/core:enablePartitionLiterals`); justifications are written against the token form.
 */
export function withPartitionToken(finding: string): string {
  return finding.replace(/\barn:aws(-[a-z]+)*:/g, 'arn:<AWS::Partition>:');
}
