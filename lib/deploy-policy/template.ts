import { DeployPolicyError } from './errors';

/** The parts of a CloudFormation template the generator reads. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, { readonly Type?: unknown; readonly Default?: unknown }>;
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

/** One resource of the template. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** One template parameter whose value CloudFormation reads from SSM (AWS::SSM::Parameter::Value<...>). */
export interface SsmTypedParameter {
  readonly name: string;
  /** The SSM parameter name in the default, if any. */
  readonly ssmName: string | undefined;
}

/** Checks the template's shape and lists its resources. */
export function readTemplate(template: unknown): { resources: TemplateResource[]; ssmTypedParameters: SsmTypedParameter[] } {
  if (!isObject(template)) throw new DeployPolicyError('template: expected a CloudFormation template (a JSON object with "Resources")');
  const resourcesValue = template.Resources;
  if (!isObject(resourcesValue) || Object.keys(resourcesValue).length === 0) {
    throw new DeployPolicyError('template: "Resources" is missing or empty; pass a synthesised template such as cdk.out/ThreatXPrevent.template.json');
  }
  const resources: TemplateResource[] = [];
  for (const [logicalId, value] of Object.entries(resourcesValue)) {
    if (!isObject(value) || typeof value.Type !== 'string' || value.Type === '') {
      throw new DeployPolicyError(`template: resource ${logicalId} has no "Type"; every resource needs a type such as AWS::IAM::Role`);
    }
    const properties = value.Properties === undefined ? {} : value.Properties;
    if (!isObject(properties)) throw new DeployPolicyError(`template: resource ${logicalId} (${value.Type}) has "Properties" that is not an object`);
    resources.push({ logicalId, type: value.Type, properties });
  }
  const ssmTypedParameters: SsmTypedParameter[] = [];
  const parameters = template.Parameters;
  if (parameters !== undefined) {
    if (!isObject(parameters)) throw new DeployPolicyError('template: "Parameters" must be an object');
    for (const [name, parameter] of Object.entries(parameters)) {
      if (!isObject(parameter) || typeof parameter.Type !== 'string') continue;
      if (!parameter.Type.startsWith('AWS::SSM::Parameter::Value<')) continue;
      ssmTypedParameters.push({ name, ssmName: typeof parameter.Default === 'string' && parameter.Default !== '' ? parameter.Default : undefined });
    }
  }
  return { resources, ssmTypedParameters };
}

const UNRESOLVED = '\u0000';

/** Values of pseudo parameters (AWS::StackName, AWS::Partition, ...) the caller knows. */
export type KnownValues = Readonly<Record<string, string>>;

/**
 * The leading literal part of a property once the known pseudo parameters are substituted; the
 * first part that is only known at deploy time (another parameter, an attribute) ends it.
 */
export function resolvedPrefix(value: unknown, known: KnownValues): string {
  const whole = render(value, known);
  const cut = whole.indexOf(UNRESOLVED);
  return cut < 0 ? whole : whole.slice(0, cut);
}

/** The whole value if it resolves to a literal with the known values, else undefined. */
export function resolvedValue(value: unknown, known: KnownValues): string | undefined {
  const whole = render(value, known);
  return whole.includes(UNRESOLVED) ? undefined : whole;
}

/** Every string in `value` (Fn::Join and Fn::Sub rendered with the known values; unknown parts are U+0000). */
export function renderedStrings(value: unknown, known: KnownValues): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item) => renderedStrings(item, known));
  if (!isObject(value)) return [];
  if (value['Fn::Join'] !== undefined || value['Fn::Sub'] !== undefined) return [render(value, known)];
  return Object.values(value).flatMap((item) => renderedStrings(item, known));
}

function render(value: unknown, known: KnownValues): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isObject(value)) return UNRESOLVED;
  if (typeof value.Ref === 'string') return known[value.Ref] ?? UNRESOLVED;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => render(part, known)).join(join[0]);
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub.replace(/\$\{([^{}!]+)\}/g, (_match, name: string) => known[name] ?? UNRESOLVED);
  return UNRESOLVED;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
