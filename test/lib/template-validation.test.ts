import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CloudFormationValidationOnWorker } from '@/lib/template-validation';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
// aws-cdk-lib prints each report; the tests read the report files and the errors instead.
beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

/**
 * Two stacks, one with resources CloudFormation rejects (an SSM parameter type outside its enum,
 * a parameter without its required value) and one clean. aws-cdk-lib turns the findings into
 * warnings, and writes the report, unless `validateAgainstDefaultRules` is set.
 */
function synthReport(plugin?: CloudFormationValidationOnWorker, flags: Record<string, unknown> = {}): unknown {
  const outdir = mkdtempSync(join(tmpdir(), 'txp-validation-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': false, ...flags } });
  const broken = new Stack(app, 'Broken');
  new CfnResource(broken, 'Parameter', { type: 'AWS::SSM::Parameter', properties: { Type: 'Bogus', Value: 'x' } });
  new CfnResource(broken, 'Valueless', { type: 'AWS::SSM::Parameter', properties: { Type: 'String' } });
  new CfnResource(new Stack(app, 'Clean'), 'Handle', { type: 'AWS::CloudFormation::WaitConditionHandle' });
  if (plugin) Validations.of(app).addPlugins(plugin);
  app.synth();
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  // Creation stack traces name the test's own lines, which differ between the two apps.
  return JSON.parse(JSON.stringify(report, (key, value) => (key === 'stackTraces' ? undefined : value)));
}

describe('CloudFormationValidationOnWorker', () => {
  test('validates every template on the worker and reports exactly what aws-cdk-lib reports', async () => {
    const builtIn = synthReport();
    const plugin = new CloudFormationValidationOnWorker();
    try {
      const onWorker = synthReport(plugin);
      expect(plugin.templatesValidatedOnWorker).toBe(2);
      expect(onWorker).toEqual(builtIn);
      expect(JSON.stringify(onWorker)).toContain("Type: 'Bogus' is not one of ['String', 'StringList']");
    } finally {
      await plugin.close();
    }
  });

  test('fails the synth on an error finding with the same report as aws-cdk-lib', async () => {
    const failure = (plugin?: CloudFormationValidationOnWorker) => {
      try {
        synthReport(plugin, { '@aws-cdk/core:validateAgainstDefaultRules': true });
      } catch (error) {
        return (error as Error).message.replace(/\/tmp\/txp-validation-\w+/g, 'OUTDIR').replace(/^.*\.test\.ts.*$/gm, '');
      }
      return 'no error';
    };
    const builtIn = failure();
    const plugin = new CloudFormationValidationOnWorker();
    try {
      expect(builtIn).toMatch(/'Value' is a required property/);
      expect(failure(plugin)).toBe(builtIn);
      expect(plugin.templatesValidatedOnWorker).toBe(2);
    } finally {
      await plugin.close();
    }
  });

  test('validates on the synth thread at once when the worker dies, instead of waiting for its answer', async () => {
    const warnings: string[] = [];
    const plugin = new CloudFormationValidationOnWorker({
      validatorModule: join(__dirname, 'fixtures', 'exiting-validator.js'),
      warn: (message) => warnings.push(message),
    });
    try {
      expect(synthReport(plugin)).toEqual(synthReport());
      expect(plugin.templatesValidatedOnWorker).toBe(0);
      expect(warnings).toEqual(['template validation worker failed (the worker exited); validating on the synth thread']);
    } finally {
      await plugin.close();
    }
  }, 20_000);

  test('validates on the synth thread, with one warning, when the worker cannot start the engine', async () => {
    const warnings: string[] = [];
    const plugin = new CloudFormationValidationOnWorker({ validatorModule: join(tmpdir(), 'no-such-validator.js'), warn: (message) => warnings.push(message) });
    try {
      expect(synthReport(plugin)).toEqual(synthReport());
      expect(plugin.templatesValidatedOnWorker).toBe(0);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^template validation worker failed \(could not start the validation engine: Cannot find module .*no-such-validator\.js.*\); validating on the synth thread$/s,
        ),
      ]);
    } finally {
      await plugin.close();
    }
  });
});
