import { Stack, Token } from 'aws-cdk-lib';
import { findRegion, isAllowedRegion } from '../../lib/config/regions';
import { allStacks, buildTestApp } from '../helpers/app';

type StackAndTemplate = ReturnType<typeof allStacks>[number];

const CLOVER_TAGS = ['clover:enclave', 'clover:jurisdiction', 'clover:data-classification'];

/** Tags of a resource in either CloudFormation form: a list of {Key, Value} or a map. */
function tagKeys(properties: Record<string, unknown> | undefined): string[] | undefined {
  const tags = properties?.Tags;
  if (Array.isArray(tags)) return tags.map((tag) => (tag as { Key: string }).Key);
  if (tags && typeof tags === 'object') return Object.keys(tags);
  return undefined;
}

/** Each hard-coded `arn:aws:` or `amazonaws.com` in a template, with some text around it. */
function hardCodedPartition(text: string): string[] {
  return [...text.matchAll(/arn:aws:|amazonaws\.com/g)].map((m) =>
    text.slice(Math.max(0, m.index - 60), m.index + 30),
  );
}

function resourcesOf(
  entry: StackAndTemplate,
): Array<[string, { Type: string; Properties?: Record<string, unknown> }]> {
  return Object.entries(entry.template.toJSON().Resources ?? {});
}

describe('default app', () => {
  let stacks: StackAndTemplate[];
  beforeAll(() => {
    stacks = allStacks(buildTestApp());
  });

  test('has one Stage per enclave plus the monitoring plane, with stable stack names', () => {
    const names = stacks.map((s) => s.stack.stackName).sort();
    for (const enclave of ['dublin-1', 'dublin-2', 'hamar']) {
      expect(names).toEqual(
        expect.arrayContaining(['Network', 'Data', 'Access', 'Logging'].map((s) => `${enclave}-${s}`)),
      );
    }
    expect(names).toContain('monitoring-Monitoring');
  });

  test('gives every stack an explicit env in an allowed (EU/EEA) region', () => {
    for (const { stack } of stacks) {
      expect(Token.isUnresolved(stack.region)).toBe(false);
      expect(Token.isUnresolved(stack.account)).toBe(false);
      expect(isAllowedRegion(stack.region, ['EU', 'EEA'])).toBe(true);
    }
  });

  test('maps the Hamar site to eu-north-1 and the Dublin sites to eu-west-1 in separate accounts', () => {
    const regionOf = (name: string) => stacks.find((s) => s.stack.stackName === name)!.stack;
    expect(regionOf('hamar-Network').region).toBe('eu-north-1');
    expect(regionOf('dublin-1-Network').region).toBe('eu-west-1');
    expect(regionOf('dublin-2-Network').region).toBe('eu-west-1');
    expect(regionOf('dublin-1-Network').account).not.toBe(regionOf('dublin-2-Network').account);
  });

  test('templates carry the real AZ names of their region, never dummy values', () => {
    const networkStacks = stacks.filter((s) => s.stack.stackName.endsWith('-Network'));
    expect(networkStacks).toHaveLength(3);
    for (const entry of networkStacks) {
      const text = JSON.stringify(entry.template.toJSON());
      expect(text).not.toMatch(/dummy1[a-z]/);
      const azs = resourcesOf(entry)
        .filter(([, r]) => r.Type === 'AWS::EC2::Subnet')
        .map(([, r]) => r.Properties?.AvailabilityZone);
      expect(azs.length).toBeGreaterThan(0);
      for (const az of azs) expect(findRegion(entry.stack.region)?.azs).toContain(az);
    }
  });

  test('tags every taggable resource with the three Clover tags', () => {
    let tagged = 0;
    for (const entry of stacks) {
      for (const [logicalId, resource] of resourcesOf(entry)) {
        const keys = tagKeys(resource.Properties);
        if (keys === undefined) continue;
        tagged++;
        expect({ logicalId, missing: CLOVER_TAGS.filter((tag) => !keys.includes(tag)) }).toEqual({
          logicalId,
          missing: [],
        });
      }
    }
    expect(tagged).toBeGreaterThan(0);
  });

  test('records the enclave in each template for auditors', () => {
    for (const { stack, template } of stacks) {
      expect(template.toJSON().Metadata?.['Clover::Enclave']?.name).toBe(
        stack.stackName.startsWith('monitoring')
          ? 'monitoring'
          : stack.stackName.split('-').slice(0, -1).join('-'),
      );
    }
  });

  test('hard-codes no partition or DNS suffix', () => {
    for (const { stack, template } of stacks) {
      expect({
        stack: stack.stackName,
        hardCoded: hardCodedPartition(JSON.stringify(template.toJSON())),
      }).toEqual({
        stack: stack.stackName,
        hardCoded: [],
      });
    }
  });
});

describe('sovereign-cloud example', () => {
  test('synthesizes in the aws-eusc partition with no hard-coded aws partition or suffix', () => {
    const stacks = allStacks(buildTestApp({ config: 'examples/sovereign-cloud.json' }));
    expect(stacks.length).toBeGreaterThan(0);
    for (const { stack, template } of stacks) {
      expect(stack.region).toBe('eusc-de-east-1');
      expect(hardCodedPartition(JSON.stringify(template.toJSON()))).toEqual([]);
    }
  });
});

describe('interim example', () => {
  test('synthesizes the interim US enclave with its sunset recorded', () => {
    const built = buildTestApp({ config: 'examples/interim-us.json' });
    const stage = built.enclaveStages.find((s) => s.enclave.name === 'interim-us')!;
    expect(Stack.of(stage.network!).region).toBe('us-east-1');
    expect(stage.network!.templateOptions.metadata?.['Clover::Enclave']).toMatchObject({
      interim: { sunset: '2030-12-31', migrateTo: 'dublin-1' },
    });
  });
});
