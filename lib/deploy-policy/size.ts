import { DeployPolicyError } from './errors';
import type { PolicyDocument, PolicyStatement } from './policy-document';

/** IAM's limit for a customer managed policy, counted without whitespace. */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/** The size IAM counts for a policy document: its characters without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

/** One managed policy of a split: the services whose statements it holds and its document. */
export interface ManagedPolicyPart {
  readonly services: string[];
  readonly document: PolicyDocument;
}

/**
 * Splits a policy into managed policies under the size limit, keeping each service's statements
 * together where they fit (first fit, largest service first), so a reviewer reads one service per
 * policy. Attach all parts (e.g. `cdk bootstrap --cloudformation-execution-policies a,b,c`).
 */
export function splitIntoManagedPolicies(document: PolicyDocument, limit = MANAGED_POLICY_SIZE_LIMIT): ManagedPolicyPart[] {
  const byService = new Map<string, PolicyStatement[]>();
  for (const statement of document.Statement) {
    const service = statement.Action[0]!.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), statement]);
  }
  const groups = [...byService.entries()]
    .flatMap(([service, statements]) => fitStatements(service, statements, limit))
    .sort((a, b) => size(b.statements) - size(a.statements) || a.service.localeCompare(b.service));
  const parts: Array<{ services: string[]; statements: PolicyStatement[] }> = [];
  for (const group of groups) {
    const part = parts.find((p) => size([...p.statements, ...group.statements]) <= limit);
    if (part) {
      part.services.push(group.service);
      part.statements.push(...group.statements);
    } else {
      parts.push({ services: [group.service], statements: [...group.statements] });
    }
  }
  return parts.map((part) => ({
    services: [...new Set(part.services)].sort(),
    document: { Version: '2012-10-17', Statement: [...part.statements].sort((a, b) => a.Sid.localeCompare(b.Sid)) },
  }));
}

function size(statements: PolicyStatement[]): number {
  return policySize({ Version: '2012-10-17', Statement: statements });
}

/** A service too large for one policy is cut between statements; a single statement too large is an error. */
function fitStatements(service: string, statements: PolicyStatement[], limit: number): Array<{ service: string; statements: PolicyStatement[] }> {
  const chunks: Array<{ service: string; statements: PolicyStatement[] }> = [];
  for (const statement of statements) {
    if (size([statement]) > limit) {
      throw new DeployPolicyError(
        `statement ${statement.Sid} alone is ${size([statement])} characters, over the managed-policy limit of ${limit}; it cannot be split further`,
      );
    }
    const last = chunks[chunks.length - 1];
    if (last && size([...last.statements, statement]) <= limit) last.statements.push(statement);
    else chunks.push({ service, statements: [statement] });
  }
  return chunks;
}
