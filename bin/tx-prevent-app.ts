/**
 * The CDK app behind `npx cdk synth`: the drop-in ThreatXPrevent stack, checked by cdk-nag's
 * AWS Solutions and NIST 800-53 rev 5 packs (synth fails on any unacknowledged finding), with
 * the least-privilege deploy policy written next to the template.
 *
 * Context:
 *   -c stackName=NAME   synthesise the drop-in stack under another construct id (default ThreatXPrevent)
 *   -c nag=false        skip the cdk-nag packs (aws-cdk-lib's own template validation still runs)
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEFAULT_STACK_NAME, ThreatXPreventStack } from '../lib';
import { writeDeployPolicyFiles } from '../lib/deploy-policy';

const app = new App();
const stack = new ThreatXPreventStack(app, app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME);
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}
writeDeployPolicyFiles(app.synth(), stack.stackName);
