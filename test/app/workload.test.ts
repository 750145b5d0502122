import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { addOrders, OrdersStack } from '../../examples/workload-app';
import { runCloverApp, RunCloverAppOptions, WorkloadError } from '../../lib';
import { buildTestApp, TEST_CONTEXT } from '../helpers/app';
import { captureOutput } from '../helpers/output';

const CONFIG = 'test/fixtures/gate/one-enclave.json';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-workload-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function synth(outdir: string, workloads: RunCloverAppOptions['workloads']) {
  return captureOutput(() =>
    runCloverApp({
      appProps: { outdir: path.join(dir, outdir), context: { ...TEST_CONTEXT, config: CONFIG } },
      workloads,
    }),
  );
}

describe('examples/workload-app.ts', () => {
  test('passes the whole gate, its stack tagged, in the enclave and on its VPC and subnets', async () => {
    let orders: OrdersStack | undefined;
    const { result: code, stderr } = await synth('example', (built) => {
      addOrders(built);
      orders = built.enclaveStages[0].workloads[0] as OrdersStack;
    });
    expect(stderr).toBe(`Clover: config ${CONFIG}\n`);
    expect(code).toBe(0);
    expect(orders!.region).toBe('eu-west-1');
    const file = path.join(dir, 'example', 'assembly-dublin-1', orders!.templateFile);
    const template = Template.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(template.toJSON().Metadata).toEqual({ 'Clover::Enclave': { name: 'dublin-1', role: 'workload' } });
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      Tags: Match.arrayWith([{ Key: 'clover:enclave', Value: 'dublin-1' }]),
    });
    // The database and the service sit in the enclave's workload subnets, exported by its Network stack.
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([
        { 'Fn::ImportValue': Match.stringLikeRegexp('^dublin-1-Network:.*Workloadeuwest1a') },
      ]),
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: Match.arrayWith([
            { 'Fn::ImportValue': Match.stringLikeRegexp('^dublin-1-Network:.*Workloadeuwest1b') },
          ]),
        },
      },
    });
  }, 120_000);

  test('fails synth naming an unencrypted database of a workload, and a key its runtime proof finds open', async () => {
    const { result: code, stderr } = await synth('breaches', (built) =>
      built.enclaveStages[0].addWorkload('Reports', (scope, enclave) => {
        const stack = new Stack(scope, 'Reports');
        new rds.DatabaseInstance(stack, 'Database', {
          engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
          vpc: enclave.network.vpc,
          storageEncrypted: false,
        });
        // CloudWatch Logs may use the key for any account's log groups: no condition names this account.
        const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
        key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
        return stack;
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/ERROR CLV-ENC-\d+ at dublin-1\/Reports\/Database\/Resource: /);
    expect(stderr).toMatch(
      /ERROR CLV-RUN-4 at dublin-1\/Reports\/Key\/Resource: forbidden flow "logs \(logs\.eu-west-1\.amazonaws\.com\) acting for another account/,
    );
  }, 120_000);
});

describe('EnclaveStage.addWorkload', () => {
  const stage = () => buildTestApp({ config: CONFIG }).enclaveStages[0];

  test('rejects a workload in another region, naming the region and the fix', () => {
    expect(() =>
      stage().addWorkload(
        'Elsewhere',
        (scope) => new Stack(scope, 'Elsewhere', { env: { region: 'us-east-1' } }),
      ),
    ).toThrow(/stack dublin-1\/Elsewhere region "us-east-1", not the enclave's "eu-west-1"; leave env unset/);
  });

  test('rejects a workload in a decommissioned interim enclave, naming the enclave it migrated to', () => {
    const interim = buildTestApp({ config: 'examples/interim-us-decommissioned.json' }).enclaveStages.find(
      (stage) => stage.enclave.name === 'interim-us',
    )!;
    expect(() => interim.addWorkload('Late', (scope) => new Stack(scope, 'Late'))).toThrow(
      /enclave "interim-us" is decommissioned: it has no network for workload "Late"; add the workload to the enclave it migrated to \(dublin-1\)/,
    );
  });

  test('rejects a stack built outside the enclave stage', () => {
    const enclave = stage();
    expect(() => enclave.addWorkload('Outside', () => new Stack(enclave.node.root, 'Outside'))).toThrow(
      WorkloadError,
    );
  });

  test('gives the workload the enclave keys, the VPC and the tags', () => {
    const enclave = stage();
    const stack = enclave.addWorkload('Store', (scope, resources) => {
      const store = new Stack(scope, 'Store');
      new s3.Bucket(store, 'Bucket', { encryptionKey: resources.vault.keys.personal, enforceSSL: true });
      expect(resources.network.vpc.selectSubnets().subnetIds).toHaveLength(2);
      return store;
    });
    expect(enclave.workloads).toEqual([stack]);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: Match.objectLike({
              KMSMasterKeyID: { 'Fn::ImportValue': Match.stringLikeRegexp('^dublin-1-Data:') },
            }),
          }),
        ],
      },
      Tags: Match.arrayWith([
        { Key: 'clover:data-classification', Value: 'restricted' },
        { Key: 'clover:jurisdiction', Value: 'EU' },
      ]),
    });
  });
});
