/**
 * The deploy policy: the least-privilege IAM policy for deploying a synthesised TX Prevent stack
 * (for `cdk bootstrap --cloudformation-execution-policies` or a CloudFormation service role).
 */
export { deployPolicyForTemplate } from './generate';
export { permissionsBoundaryName, permissionsBoundaryPolicy } from './boundary';
export type { DeployPolicyOptions } from './generate';
export { DeployPolicyError } from './errors';
export type { PolicyCondition, PolicyDocument, PolicyStatement } from './policy-document';
export { MANAGED_POLICY_SIZE_LIMIT, policySize, splitIntoManagedPolicies } from './size';
export type { ManagedPolicyPart } from './size';
export { RESOURCE_TYPE_ENTRIES } from './resource-types';
export type { ResourceTypeEntry } from './grant';
export { DEPLOY_POLICY_HELP, runTxPreventCli, TX_PREVENT_HELP } from './cli';
export type { CliIo } from './cli';
export { writeDeployPolicyFiles } from './synth-output';
export type { SynthesisedAssembly } from './synth-output';
