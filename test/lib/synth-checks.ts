import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

export interface Violation {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** The context of cdk.json (feature flags, AZs), so tests synthesise what `cdk synth` does. */
const CDK_JSON_CONTEXT = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/** An App with cdk.json's context that writes to a fresh temp directory (removed by `cleanup`). */
export function testApp(props: AppProps = {}): App & { cleanup(): void } {
  const outdir = mkdtempSync(join(tmpdir(), 'txp-cdk-'));
  const app = new App({ outdir, ...props, context: { ...CDK_JSON_CONTEXT, ...props.context } }) as App & { cleanup(): void };
  app.cleanup = () => rmSync(outdir, { recursive: true, force: true });
  return app;
}

/**
 * Synthesises `app` with cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs next to
 * aws-cdk-lib's own CloudFormation validation, and returns every finding of every plugin
 * (errors and warnings, construct annotations included).
 */
export function synthWithChecks(app: App): Violation[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== 'ValidationFailed' && !String(e).includes('Validation failed')) throw e;
  }
  const reportPath = join(app.outdir, 'validation-report.json');
  let report: {
    pluginReports: Array<{
      pluginName: string;
      violations: Array<{ ruleName: string; severity: string; violatingConstructs?: Array<{ constructPath: string }> }>;
    }>;
  };
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    return [];
  }
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => ({
      plugin: plugin.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: (v.violatingConstructs ?? []).map((c) => c.constructPath),
    })),
  );
}
