import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { permissionsBoundaryPolicy } from './boundary';
import { deployPolicyForTemplate, type DeployPolicyOptions } from './generate';
import { splitIntoManagedPolicies } from './size';

/** The part of a synthesised cloud assembly this module reads (aws-cdk-lib's CloudAssembly fits). */
export interface SynthesisedAssembly {
  readonly directory: string;
  getStackByName(stackName: string): { readonly template: unknown; readonly stackName: string };
}

/**
 * Writes `<stack>.deploy-policy.json` (the whole policy), `<stack>.deploy-policy-<n>.json`
 * (managed policies under IAM's size limit) and `<stack>.permissions-boundary.json` (the boundary
 * the stack's roles carry, created once before the deploy) next to the template in the cloud assembly, for a
 * `cdk synth` that hands reviewers the policy with the template. Returns the files written.
 */
export function writeDeployPolicyFiles(
  assembly: SynthesisedAssembly,
  stackName: string,
  options: Omit<DeployPolicyOptions, 'stackName'> & { deployedStackName?: string } = {},
): string[] {
  const stack = assembly.getStackByName(stackName);
  const { deployedStackName, ...scope } = options;
  const policy = deployPolicyForTemplate(stack.template, { ...scope, stackName: deployedStackName ?? stack.stackName });
  const files = [join(assembly.directory, `${stack.stackName}.deploy-policy.json`)];
  writeFileSync(files[0]!, `${JSON.stringify(policy, null, 2)}\n`);
  splitIntoManagedPolicies(policy).forEach((part, index) => {
    const file = join(assembly.directory, `${stack.stackName}.deploy-policy-${index + 1}.json`);
    writeFileSync(file, `${JSON.stringify(part.document, null, 2)}\n`);
    files.push(file);
  });
  const boundary = join(assembly.directory, `${stack.stackName}.permissions-boundary.json`);
  writeFileSync(boundary, `${JSON.stringify(permissionsBoundaryPolicy({ ...scope, stackName: deployedStackName ?? stack.stackName }), null, 2)}\n`);
  files.push(boundary);
  return files;
}
