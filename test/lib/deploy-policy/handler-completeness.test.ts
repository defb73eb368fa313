/**
 * Completeness against the test oracle (../shared/reference/cfn-handler-permissions.json): every
 * action the CloudFormation handlers of a resource type list is granted, unless the generator's
 * entry leaves it out with a reason (a feature it refuses, or a name that is not an IAM action).
 */
import { deployPolicyForTemplate, type PolicyDocument } from '@/lib/deploy-policy';
import { RESOURCE_TYPE_ENTRIES } from '@/lib/deploy-policy/resource-types';
import { actionMatches } from '@/lib/deploy-policy/grant';
import { expandAction } from './helpers/iam-catalog';
import { handlerActions, oracleTypes } from './helpers/reference';
import { everyTypeTemplate, oneResourceTemplate, STACK, synthesiseDropInTemplate } from './helpers/templates';

/** Granted by statements that follow from the whole template (asserted for the drop-in stack below). */
const STACK_WIDE = ['iam:PassRole', 'iam:CreateServiceLinkedRole'];

function granted(policy: PolicyDocument, action: string): boolean {
  return policy.Statement.some((statement) => statement.Action.some((pattern) => actionMatches(pattern, action)));
}

/** Oracle actions that IAM knows (wildcards count when their service exists). */
async function realHandlerActions(type: string): Promise<string[]> {
  const actions = handlerActions(type) ?? [];
  const real: string[] = [];
  for (const action of actions) if ((await expandAction(action)).length > 0) real.push(action);
  return real;
}

async function missingActions(type: string, policy: PolicyDocument, skip: readonly string[]): Promise<string[]> {
  const entry = RESOURCE_TYPE_ENTRIES.get(type)!;
  const leftOut = Object.keys(entry.leftOut ?? {});
  return (await realHandlerActions(type)).filter((action) => !leftOut.includes(action) && !skip.includes(action) && !granted(policy, action));
}

function whenUsed(type: string): string[] {
  return Object.keys(RESOURCE_TYPE_ENTRIES.get(type)!.whenUsed ?? {});
}

describe('every known type grants its handler permissions', () => {
  const supported = [...RESOURCE_TYPE_ENTRIES.keys()].filter((type) => handlerActions(type) !== undefined);

  it('covers the types of the brief that a TX Prevent stack synthesises or will', () => {
    expect(supported.length).toBeGreaterThanOrEqual(40);
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::EC2::FlowLog',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Dashboard',
      'AWS::SNS::Topic',
      'AWS::Lambda::Function',
      'AWS::CloudFormation::CustomResource',
    ]) {
      expect(supported).toContain(type);
    }
  });

  it.each(supported)('%s', async (type) => {
    const policy = deployPolicyForTemplate(oneResourceTemplate(type), { stackName: STACK });
    expect(await missingActions(type, policy, [...STACK_WIDE, ...whenUsed(type)])).toEqual([]);
  });

  it('grants the stack-wide and when-used actions once a template uses the features', async () => {
    const policy = deployPolicyForTemplate(everyTypeTemplate(), { stackName: STACK });
    const missing: string[] = [];
    for (const type of supported) missing.push(...(await missingActions(type, policy, [])).map((action) => `${type}: ${action}`));
    expect(missing).toEqual([]);
  });

  it('leaves out only actions the handlers list, each with a reason', () => {
    for (const [type, entry] of RESOURCE_TYPE_ENTRIES) {
      const listed = handlerActions(type) ?? [];
      for (const [action, reason] of Object.entries(entry.leftOut ?? {})) {
        expect({ type, action, listed: listed.includes(action) }).toEqual({ type, action, listed: true });
        expect(reason.length).toBeGreaterThan(20);
      }
      for (const [action, when] of Object.entries(entry.whenUsed ?? {})) {
        expect({ type, action, listed: listed.includes(action) }).toEqual({ type, action, listed: true });
        expect(when.length).toBeGreaterThan(20);
      }
    }
  });
});

describe('the drop-in ThreatXPrevent stack', () => {
  let template: Record<string, unknown>;
  let policy: PolicyDocument;
  beforeAll(() => {
    template = synthesiseDropInTemplate();
    policy = deployPolicyForTemplate(template, { stackName: STACK });
  });

  it('has an entry for every resource type it synthesises', () => {
    const types = new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type));
    expect(types.size).toBeGreaterThan(10);
    for (const type of types) expect({ type, known: RESOURCE_TYPE_ENTRIES.has(type) }).toEqual({ type, known: true });
  });

  it('grants every handler permission of every type in it, PassRole and service-linked roles included', async () => {
    const types = [...new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type))];
    const missing: string[] = [];
    for (const type of types) missing.push(...(await missingActions(type, policy, [])).map((action) => `${type}: ${action}`));
    expect(missing).toEqual([]);
  });

  it('passes the stack roles only to EC2, and creates only the ELB and Auto Scaling service-linked roles', () => {
    const passRole = policy.Statement.filter((s) => s.Action.includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Sid: 'IamPassStackRolesToTheirServices',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::*:role/${STACK}-*`],
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
      },
    ]);
    const slr = policy.Statement.find((s) => s.Action.includes('iam:CreateServiceLinkedRole'))!;
    expect(slr.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] } });
  });

  it('reads the LatestAmiId SSM parameter type from the AL2023 folder only', () => {
    const resolve = policy.Statement.find((s) => s.Sid === 'SsmResolveParameterTypes')!;
    expect(resolve.Action).toEqual(['ssm:GetParameters']);
    expect(resolve.Resource).toEqual(['arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*']);
  });

  it("uses the customer managed key only through Secrets Manager and only if it is the stack's", () => {
    const kms = policy.Statement.find((s) => s.Sid === 'KmsUseStackKeyThroughSecretsManager')!;
    expect(kms.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms.Condition).toEqual({
      StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' },
      StringEquals: { 'aws:ResourceTag/aws:cloudformation:stack-name': STACK },
    });
  });
});

describe('types the generator does not know', () => {
  const unknown = () => oracleTypes().filter((type) => !RESOURCE_TYPE_ENTRIES.has(type));

  it('are refused loudly, naming the type and the resource', () => {
    expect(unknown()).toContain('AWS::S3::Bucket');
    for (const type of unknown()) {
      expect(() => deployPolicyForTemplate({ Resources: { Thing: { Type: type, Properties: {} } } }, { stackName: STACK })).toThrow(
        `no entry for resource type ${type} (Thing). Add the type's handler permissions`,
      );
    }
  });
});
