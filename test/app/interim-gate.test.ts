import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import { main } from '../../lib/app/main';
import { captureOutput } from '../helpers/output';
import { TEST_CONTEXT } from '../helpers/app';

/**
 * The whole gate (CloverChecks and the runtime flow proof over the cloud assembly) on the replicating
 * example, with one planted path from a European store into the interim enclave: a bucket policy of
 * dublin-1 that lets the interim account read. Both the residency rule and the proof must name it.
 * The enclaves are in an organisation (guardrails.organization): the monitoring plane grants the
 * shippers by organisation and role name, and the migration verifier, named, must still reach the archive.
 */
describe('synth gate on a path from European data into an interim enclave', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-interim-gate-'));
    const example = JSON.parse(fs.readFileSync('examples/interim-us-replicating.json', 'utf8'));
    config = path.join(dir, 'interim-us-in-an-organisation.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        ...example,
        guardrails: {
          managementAccount: '666666666666',
          organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456'] },
        },
      }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('fails synth naming the grant (CLV-RES-10) and the forbidden read it allows (CLV-RUN-5)', async () => {
    const { result: code, stderr } = await captureOutput(() =>
      main({
        appProps: {
          outdir: path.join(dir, 'cdk.out'),
          context: { ...TEST_CONTEXT, config },
        },
        customise: (built) => {
          const dublin = built.enclaveStages.find((stage) => stage.enclave.name === 'dublin-1')!;
          dublin.data.vault.buckets.personal.addToResourcePolicy(
            new iam.PolicyStatement({
              sid: 'PlantedInterimRead',
              principals: [new iam.AccountPrincipal('555555555555')],
              actions: ['s3:GetObject'],
              resources: [dublin.data.vault.buckets.personal.arnForObjects('*')],
            }),
          );
        },
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /ERROR CLV-RES-10 at dublin-1\/Data\/Vault\/Buckets\/personal\/Policy\/Resource: .*\("PlantedInterimRead"\) lets a principal of interim enclave "interim-us" \(account 555555555555, us-east-1\) s3:GetObject/,
    );
    expect(stderr).toMatch(
      /CLV-RUN-5 .*forbidden flow "a principal of interim enclave interim-us \(its replication role, with any identity policy\) reads an object of clover-dublin-1-personal-111111111111-eu-west-1" is allowed/,
    );
    // Only the planted path: the interim enclave's own migration flows all hold, the verifier's evidence
    // write to the archive too (under an organisation it was refused by the shippers-only deny and key).
    expect(stderr).not.toMatch(/CLV-RUN-[12]/);
  }, 240_000);
});
