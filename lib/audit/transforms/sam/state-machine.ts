/**
 * `AWS::Serverless::StateMachine` → the state machine, its execution role
 * (from `Policies`, or the `Role` given), and its events: EventBridge rules
 * and schedules with the role they start executions with, and API routes. Pure.
 */
import { isObject } from '../../values';
import type { ApiRegistry } from './api';
import { addEventRule, expandScheduleV2 } from './events';
import {
  arnOf,
  eventsOf,
  inlinePolicy,
  mainAttributes,
  ref,
  s3Location,
  SamExpansion,
  SamResource,
  serviceTrust,
  tagList,
  withoutUndefined,
} from './model';
import { RoleBuilder } from './policies';

const SAM_TAG: [string, string] = ['stateMachine:createdBy', 'SAM'];

export function expandStateMachine(from: SamResource, expansion: SamExpansion, apis: ApiRegistry): void {
  const p = from.properties;
  const id = from.logicalId;
  const tags = tagList(p.Tags, SAM_TAG);
  const role = p.Role === undefined ? new RoleBuilder(`${id}Role`, from, expansion) : undefined;
  expansion.add(
    id,
    {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: withoutUndefined({
        Definition: p.Definition,
        DefinitionS3Location: s3Location(p.DefinitionUri, {
          bucket: 'Bucket',
          key: 'Key',
          version: 'Version',
        }),
        DefinitionSubstitutions: p.DefinitionSubstitutions,
        RoleArn: role ? arnOf(role.logicalId) : p.Role,
        StateMachineName: p.Name,
        StateMachineType: p.Type,
        LoggingConfiguration: p.Logging,
        TracingConfiguration: p.Tracing,
        Tags: tags,
      }),
      ...mainAttributes(from),
    },
    from,
  );
  if (role) {
    role.addPolicies(p.Policies);
    if (isObject(p.Tracing) && p.Tracing.Enabled === true)
      role.addManaged(expansion.managedPolicyArn('AWSXRayDaemonWriteAccess'));
    role.write({
      AssumeRolePolicyDocument: serviceTrust('states.amazonaws.com'),
      Path: p.RolePath,
      PermissionsBoundary: p.PermissionsBoundary,
      Tags: tags,
    });
  }
  const alias = expansion.literal(p.AutoPublishAlias);
  if (typeof alias === 'string') {
    expansion.add(
      `${id}Version`,
      expansion.resource('AWS::StepFunctions::StateMachineVersion', { StateMachineArn: ref(id) }, from, {
        DeletionPolicy: 'Retain',
      }),
      from,
    );
    expansion.add(
      `${id}Alias${alias}`,
      expansion.resource(
        'AWS::StepFunctions::StateMachineAlias',
        {
          Name: alias,
          DeploymentPreference: { StateMachineVersionArn: ref(`${id}Version`), Type: 'ALL_AT_ONCE' },
        },
        from,
      ),
      from,
    );
    expansion.referable.set(`${id}.Alias`, `${id}Alias${alias}`);
    expansion.referable.set(`${id}.Version`, `${id}Version`);
  }
  for (const event of eventsOf(from)) {
    const eventId = `${id}${event.name}`;
    const e = event.properties;
    switch (event.type) {
      case 'Schedule':
      case 'CloudWatchEvent':
      case 'EventBridgeRule': {
        const eventRole = `${eventId}Role`;
        const givenRole = e.RoleArn ?? e.Role;
        if (givenRole === undefined) {
          expansion.add(
            eventRole,
            expansion.resource(
              'AWS::IAM::Role',
              {
                AssumeRolePolicyDocument: serviceTrust('events.amazonaws.com'),
                Policies: [
                  inlinePolicy(`${eventRole}StartExecutionPolicy`, 'states:StartExecution', ref(id)),
                ],
              },
              from,
            ),
            from,
          );
        }
        addEventRule(
          event,
          eventId,
          from,
          expansion,
          { Arn: ref(id), RoleArn: givenRole ?? arnOf(eventRole) },
          'StepFunctionsTarget',
        );
        break;
      }
      case 'ScheduleV2':
        expandScheduleV2(eventId, { from, arn: ref(id) }, expansion, e, 'states:StartExecution');
        break;
      case 'Api':
        apis.addStateMachineRoute(event, eventId, from);
        break;
      default:
        expansion.note(
          from,
          `${id}: event ${event.name} of type ${event.type} is not expanded by this build, so what it creates is not judged`,
        );
    }
  }
}
