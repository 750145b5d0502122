import { CloverRule, NOT_APPLICABLE, RuleTarget, violations } from '../../../audit/rule';
import {
  backingFunctions,
  backsCustomResource,
  describeGrants,
  isCustomResource,
  routeWriteGrantsOfFunction,
  routeWritingCalls,
} from '../../../audit/network-route-writers';

/** No custom resource or function may be able to rewrite routes at run time. */
export const RouteWritingCode: CloverRule = {
  id: 'CLV-NET-10',
  family: 'NET',
  severity: 'error',
  info: 'A custom resource or Lambda function can write routes (ec2:CreateRoute, ReplaceRoute, DeleteRoute, ReplaceRouteTableAssociation, AssociateRouteTable, DisassociateRouteTable, or a wildcard covering them).',
  explanation:
    'The route proof covers the routes in the template. Code that creates, replaces or deletes routes at deploy or run time (a custom resource call, or a function whose role is allowed to) can send traffic around the security gateway, for example to “fail open” around a dead appliance; Clover fails closed. The rule reads custom resource properties (such as Custom::AWS SDK calls), the execution role of the function behind each custom resource (and functions named in its environment, as provider frameworks do), and the roles of other Lambda functions: inline policies, attached AWS::IAM::Policy and AWS::IAM::ManagedPolicy documents, and broad AWS-managed policies.',
  fix: 'Define routes as AWS::EC2::Route resources in the template and remove route-writing calls and permissions (including ec2:* and *) from custom resources and functions.',
  evaluate({ resource, index }: RuleTarget) {
    if (isCustomResource(resource)) {
      const found = routeWritingCalls(resource).map(
        (call) => `custom resource ${resource.logicalId} calls ${call}`,
      );
      for (const fn of backingFunctions(index, resource)) {
        for (const grant of describeGrants(routeWriteGrantsOfFunction(index, fn))) {
          found.push(
            `custom resource ${resource.logicalId} runs function ${fn.logicalId}, whose role can write routes: ${grant}`,
          );
        }
      }
      return violations(found);
    }
    if (resource.type !== 'AWS::Lambda::Function' || backsCustomResource(index, resource))
      return NOT_APPLICABLE;
    return violations(
      describeGrants(routeWriteGrantsOfFunction(index, resource)).map(
        (grant) => `function ${resource.logicalId} can write routes: ${grant}`,
      ),
    );
  },
};
