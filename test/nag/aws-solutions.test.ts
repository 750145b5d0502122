import type * as Cdk from 'aws-cdk-lib';
import type * as Events from 'aws-cdk-lib/aws-events';
import type * as Nag from 'cdk-nag';
import type * as Clover from '../../lib/nag/aws-solutions';

interface Fresh {
  readonly nag: typeof Nag;
  readonly clover: typeof Clover;
  readonly app: Cdk.App;
  /** Runs a pack the way the CDK's validation framework does at synth. */
  readonly validate: (pack: Nag.NagPack) => Cdk.PolicyValidationPluginReport;
}

/**
 * Runs `body` with its own copy of aws-cdk-lib, cdk-nag and the pack
 * (jest.isolateModules): aws-cdk-lib prints each deprecation once per module
 * instance, and loads its warning module lazily, at the first check.
 */
function withFreshModules(body: (fresh: Fresh) => void): void {
  jest.isolateModules(() => {
    const cdk: typeof Cdk = require('aws-cdk-lib');
    const events: typeof Events = require('aws-cdk-lib/aws-events');
    // A wide-open event bus policy (AwsSolutions-EVB1), set through the non-deprecated `statement`.
    const app = new cdk.App({ builtinCloudFormationValidation: false });
    const stack = new cdk.Stack(app, 'Monitoring', { env: { account: '111111111111', region: 'eu-west-1' } });
    new events.CfnEventBusPolicy(stack, 'Open', {
      statementId: 'open',
      statement: { Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' },
    });
    body({
      nag: require('cdk-nag'),
      clover: require('../../lib/nag/aws-solutions'),
      app,
      validate: (pack) => pack.validate({ templatePaths: [], stackTemplates: [], appConstruct: app }),
    });
  });
}

describe('CloverAwsSolutionsChecks', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());
  const warnings = () => warn.mock.calls.flat().join(' ');

  test('cdk-nag alone prints a deprecation for a property its rules read (what this pack silences)', () => {
    withFreshModules(({ app, nag, validate }) => validate(new nag.AwsSolutionsChecks(app)));
    expect(warnings()).toMatch(/CfnEventBusPolicy#principal is deprecated/);
  });

  test('runs the AwsSolutions rules without printing deprecations for the properties they read', () => {
    withFreshModules(({ app, clover, validate }) => {
      const pack = new clover.CloverAwsSolutionsChecks(app);
      expect(pack.readPackName).toBe('AwsSolutions');
      expect(validate(pack).violations.map((v) => v.ruleName)).toContain('AwsSolutions-EVB1');
    });
    expect(warnings()).not.toMatch(/deprecated/);
  });

  test('puts the JSII_DEPRECATED mode back as it was, set or not', () => {
    for (const mode of [undefined, 'fail']) {
      if (mode === undefined) delete process.env.JSII_DEPRECATED;
      else process.env.JSII_DEPRECATED = mode;
      withFreshModules(({ app, clover, validate }) => validate(new clover.CloverAwsSolutionsChecks(app)));
      expect(process.env.JSII_DEPRECATED).toBe(mode);
    }
    delete process.env.JSII_DEPRECATED;
  });
});
