import { DeployPolicyError } from './errors';
import type { PolicyCondition, PolicyStatement } from './policy-document';
import type { Scope } from './scope';
import type { TemplateResource } from './template';

/**
 * A piece of a statement. Grants with the same sid become one statement: their actions and
 * resources are joined, and so are the values of identical condition keys.
 */
export interface Grant {
  /** Letters and digits, saying what the statement is for; the service name first keeps them grouped. */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: PolicyCondition;
}

/** How a resource type's physical name is tied to the stack name (so ARN patterns can cover it). */
export interface NamingRule {
  /** The template property holding the name. */
  readonly property: string;
  /** What the name must start with. */
  readonly prefix: (stackName: string) => string;
  /** Whether a name CloudFormation generates (property left out) starts with `<stack>-`. */
  readonly generatedNameStartsWithStackName: boolean;
}

/** What the generator knows about one CloudFormation resource type. */
export interface ResourceTypeEntry {
  readonly type: string;
  readonly naming?: NamingRule;
  /**
   * Handler actions this entry does not grant, each with the reason (a feature the template does
   * not use — the entry refuses templates that use it — or a name that is not an IAM action).
   */
  readonly leftOut?: Readonly<Record<string, string>>;
  /** Handler actions granted only when the template uses the feature that needs them, each with when. */
  readonly whenUsed?: Readonly<Record<string, string>>;
  /** Refuses properties that would need permissions this entry does not grant. */
  readonly check?: (resource: TemplateResource) => void;
  readonly grants: (scope: Scope, resources: readonly TemplateResource[]) => Grant[];
}

/**
 * A handler permission that only a feature the generator refuses would use (a private CA, Cognito
 * authentication, VPC Lattice targets): granted so the policy covers every handler permission of
 * the type, but only on resources tagged with the stack's name. The stack creates no such
 * resource, so the grant reaches nothing it does not own.
 */
export function stackTaggedOnly(scope: Scope, sid: string, actions: readonly string[], resources: readonly string[]): Grant {
  return { sid, actions, resources, condition: scope.taggedByStack };
}

/** Joins grants into statements, one per sid, in sid order, with redundant actions dropped. */
export function statementsFromGrants(grants: readonly Grant[]): PolicyStatement[] {
  const bySid = new Map<string, { actions: Set<string>; resources: Set<string>; condition?: PolicyCondition }>();
  for (const grant of grants) {
    if (!/^[A-Za-z0-9]+$/.test(grant.sid)) throw new DeployPolicyError(`internal: sid ${JSON.stringify(grant.sid)} must be letters and digits`);
    const existing = bySid.get(grant.sid);
    if (existing === undefined) {
      bySid.set(grant.sid, { actions: new Set(grant.actions), resources: new Set(grant.resources), condition: copyCondition(grant.condition) });
      continue;
    }
    grant.actions.forEach((action) => existing.actions.add(action));
    grant.resources.forEach((resource) => existing.resources.add(resource));
    existing.condition = mergeConditions(grant.sid, existing.condition, grant.condition);
  }
  return [...bySid.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sid, { actions, resources, condition }]) => {
      if (resources.has('*') && resources.size > 1)
        throw new DeployPolicyError(`internal: statement ${sid} mixes "*" with ARNs; give the unscoped actions their own sid`);
      const resourceList = [...resources].sort();
      const statement: PolicyStatement = { Sid: sid, Effect: 'Allow', Action: withoutCoveredActions([...actions]).sort(), Resource: resourceList };
      return condition === undefined ? statement : { ...statement, Condition: condition };
    });
}

/** `ec2:Describe*` already allows `ec2:DescribeVpcs`: keep the statement short. */
function withoutCoveredActions(actions: string[]): string[] {
  const wildcards = actions.filter((action) => action.includes('*'));
  return actions.filter((action) => action.includes('*') || !wildcards.some((wildcard) => actionMatches(wildcard, action)));
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return regex.test(action);
}

function copyCondition(condition: PolicyCondition | undefined): PolicyCondition | undefined {
  if (condition === undefined) return undefined;
  return Object.fromEntries(Object.entries(condition).map(([operator, keys]) => [operator, { ...keys }]));
}

function mergeConditions(sid: string, a: PolicyCondition | undefined, b: PolicyCondition | undefined): PolicyCondition | undefined {
  const shape = (c: PolicyCondition | undefined) =>
    JSON.stringify(
      Object.entries(c ?? {})
        .map(([op, keys]) => [op, Object.keys(keys).sort()])
        .sort(),
    );
  if (shape(a) !== shape(b)) throw new DeployPolicyError(`internal: grants for statement ${sid} have different condition keys`);
  if (a === undefined || b === undefined) return a;
  const merged: PolicyCondition = {};
  for (const [operator, keys] of Object.entries(a)) {
    merged[operator] = {};
    for (const [key, value] of Object.entries(keys)) {
      const values = new Set([...toList(value), ...toList(b[operator]![key]!)]);
      merged[operator]![key] = values.size === 1 ? [...values][0]! : [...values].sort();
    }
  }
  return merged;
}

function toList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
