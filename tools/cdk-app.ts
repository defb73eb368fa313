/**
 * The CDK app behind `npx cdk synth`: the drop-in ThreatXPrevent stack, checked by cdk-nag's
 * AWS Solutions and NIST 800-53 rev 5 packs (synth fails on any unacknowledged finding), with
 * the least-privilege deploy policy written next to the template.
 *
 * Context:
 *   -c stackName=NAME   synthesise the drop-in stack under another construct id (default ThreatXPrevent)
 *   -c nag=false        skip the cdk-nag packs (aws-cdk-lib's own template validation still runs)
 */
import { setFlagsFromString } from 'node:v8';
import { App, Validations } from 'aws-cdk-lib';
import { CloudFormationValidationOnWorker } from '../lib/template-validation';

// aws-cdk-lib checks the template with a 9 MB WebAssembly validator. V8 recompiles the validator's
// hot functions on background threads, and node waits for those compilations before it exits:
// 0.5-0.8 s of every synth on two cores, for code that then never runs again. Keeping the
// validator on V8's baseline compiler removes that wait, and one validation runs no slower
// (see docs/benchmarks.md, Synth). It must be set before the validator is loaded.
setFlagsFromString('--liftoff-only');

// Started before the rest of the app is even loaded, so the validator's engine is built on
// another core meanwhile. `cdk synth --no-validation` turns aws-cdk-lib's validation off, and so
// this one too.
const templateValidation = process.env.CDK_VALIDATION === 'false' ? undefined : new CloudFormationValidationOnWorker();

const { AwsSolutionsChecks, NIST80053R5Checks } = require('cdk-nag') as typeof import('cdk-nag');
const { DEFAULT_STACK_NAME, ThreatXPreventStack } = require('../lib') as typeof import('../lib');
const { writeDeployPolicyFiles } = require('../lib/deploy-policy') as typeof import('../lib/deploy-policy');

const app = new App();
const stack = new ThreatXPreventStack(app, app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME);
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}
// After cdk-nag's packs, which then run while the engine finishes starting.
if (templateValidation) Validations.of(app).addPlugins(templateValidation);
writeDeployPolicyFiles(app.synth(), stack.stackName);
void templateValidation?.close();
