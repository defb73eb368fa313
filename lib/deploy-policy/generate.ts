import { DeployPolicyError } from './errors';
import { statementsFromGrants, type Grant, type ResourceTypeEntry } from './grant';
import type { PolicyDocument } from './policy-document';
import { entryTypeOf, RESOURCE_TYPE_ENTRIES } from './resource-types';
import { Scope, type ScopeOptions } from './scope';
import { stackWideGrants } from './stack-wide';
import { readTemplate, resolvedPrefix, type TemplateResource } from './template';

export type DeployPolicyOptions = ScopeOptions;

/**
 * The least-privilege policy for deploying, updating and deleting `template` as stack
 * `options.stackName`: what the CloudFormation handlers of its resource types call, scoped to the
 * stack's resources. Throws DeployPolicyError for a resource type it has no entry for, and for a
 * resource whose name or properties would fall outside the policy.
 */
export function deployPolicyForTemplate(template: unknown, options: DeployPolicyOptions): PolicyDocument {
  const scope = new Scope(options);
  const { resources, ssmTypedParameters } = readTemplate(template);
  const byEntry = new Map<ResourceTypeEntry, TemplateResource[]>();
  const unknown: TemplateResource[] = [];
  for (const resource of resources) {
    const entry = RESOURCE_TYPE_ENTRIES.get(entryTypeOf(resource.type));
    if (entry === undefined) {
      unknown.push(resource);
      continue;
    }
    byEntry.set(entry, [...(byEntry.get(entry) ?? []), resource]);
  }
  if (unknown.length > 0) {
    const types = [...new Set(unknown.map((r) => r.type))].sort();
    const list = types
      .map(
        (type) =>
          `${type} (${unknown
            .filter((r) => r.type === type)
            .map((r) => r.logicalId)
            .join(', ')})`,
      )
      .join('; ');
    throw new DeployPolicyError(
      `template: no entry for resource type${types.length > 1 ? 's' : ''} ${list}. Add the type's handler permissions, scoped to the stack, in lib/deploy-policy/resource-types/ — the generator does not guess permissions`,
    );
  }
  const grants: Grant[] = [];
  for (const [entry, typed] of byEntry) {
    for (const resource of typed) {
      entry.check?.(resource);
      checkNaming(entry, resource, scope);
    }
    grants.push(...entry.grants(scope, resources));
  }
  grants.push(...stackWideGrants(scope, resources, ssmTypedParameters));
  return { Version: '2012-10-17', Statement: statementsFromGrants(grants) };
}

/** The policy covers names by prefix: refuse a resource whose name would not start with it. */
function checkNaming(entry: ResourceTypeEntry, resource: TemplateResource, scope: Scope): void {
  const rule = entry.naming;
  if (rule === undefined) return;
  const prefix = rule.prefix(scope.stackName);
  const value = resource.properties[rule.property];
  if (value === undefined) {
    if (rule.generatedNameStartsWithStackName) return;
    throw new DeployPolicyError(
      `${resource.logicalId} (${resource.type}): ${rule.property} is not set, and the name CloudFormation would generate does not start with "${prefix}"; set ${rule.property} to "${prefix}..." built from AWS::StackName`,
    );
  }
  const resolved = resolvedPrefix(value, { 'AWS::StackName': scope.stackName });
  if (!resolved.startsWith(prefix)) {
    throw new DeployPolicyError(
      `${resource.logicalId} (${resource.type}): ${rule.property} ${JSON.stringify(value)} does not start with "${prefix}" for stack ${scope.stackName}; the deploy policy only covers names under "${prefix}", so build the name from AWS::StackName`,
    );
  }
}
