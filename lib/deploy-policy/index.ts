/**
 * The deploy policy: the least-privilege IAM policy for deploying a synthesised TX Prevent stack
 * (for `cdk bootstrap --cloudformation-execution-policies` or a CloudFormation service role).
 */
export { deployPolicyForTemplate } from './generate';
export { permissionsBoundaryName, permissionsBoundaryPolicy } from './boundary';
export type { DeployPolicyOptions } from './generate';
export type { ScopeOptions } from './scope';
export { DeployPolicyError } from './errors';
export type { PolicyCondition, PolicyDocument, PolicyStatement } from './policy-document';
export { MANAGED_POLICY_SIZE_LIMIT, policySize, splitIntoManagedPolicies } from './size';
export type { ManagedPolicyPart } from './size';
export { writeDeployPolicyFiles } from './synth-output';
export type { SynthesisedAssembly } from './synth-output';
