import { DeployPolicyError } from '../errors';
import type { ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import { isObject, resolvedValue, type TemplateResource } from '../template';

/** Functions are named `<stack>-...` (or generated `<stack>-<logical id>-<suffix>`). */
function functionArns(scope: Scope): string[] {
  return [scope.arn('lambda', `function:${scope.stackName}-*`), scope.arn('lambda', `function:${scope.stackName}-*:*`)];
}

const EFS = 'only for functions with an EFS/S3 Files file system (FileSystemConfigs); refused';
const SIGNING = 'only for code signing (CodeSigningConfigArn); refused';

/** The S3 objects holding function code, resolved from Code.S3Bucket/S3Key where the template allows. */
function codeObjectArns(scope: Scope, resources: readonly TemplateResource[]): string[] {
  const known = { 'AWS::Partition': scope.partition, 'AWS::Region': scope.region, 'AWS::AccountId': scope.account, 'AWS::URLSuffix': 'amazonaws.com' };
  const arns = new Set<string>();
  for (const fn of resources.filter((r) => r.type === 'AWS::Lambda::Function')) {
    const code = fn.properties.Code;
    if (!isObject(code) || code.S3Bucket === undefined) continue;
    const bucket = resolvedValue(code.S3Bucket, known);
    if (bucket === undefined) {
      throw new DeployPolicyError(
        `${fn.logicalId} (AWS::Lambda::Function): Code.S3Bucket ${JSON.stringify(code.S3Bucket)} cannot be resolved; pass --account and --region, or use the CDK asset bucket`,
      );
    }
    arns.add(`arn:${scope.partition}:s3:::${bucket}/*`);
  }
  return [...arns].sort();
}

export const LAMBDA_CLOUDFORMATION_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::Lambda::Function',
    naming: { property: 'FunctionName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    leftOut: {
      'iam:PassRole': 'granted by the PassRole statement for lambda.amazonaws.com on the stack roles',
      'elasticfilesystem:DescribeMountTargets': EFS,
      's3files:ListMountTargets': EFS,
      'lambda:GetCodeSigningConfig': SIGNING,
      'lambda:PutFunctionCodeSigningConfig': SIGNING,
      'lambda:GetLayerVersion': 'only for functions with Layers; refused',
      'lambda:PassCapacityProvider': 'only for functions on a capacity provider; refused',
      'kms:CreateGrant': 'only for a customer managed key on the function (KmsKeyArn); refused',
      'kms:Decrypt': 'only for a customer managed key on the function (KmsKeyArn); refused',
      'kms:DescribeKey': 'only for a customer managed key on the function (KmsKeyArn); refused',
      'kms:Encrypt': 'only for a customer managed key on the function (KmsKeyArn); refused',
      'kms:GenerateDataKey': 'only for a customer managed key on the function (KmsKeyArn); refused',
    },
    whenUsed: {
      's3:GetObject': 'when the code is in S3 (Code.S3Bucket), on that bucket',
      's3:GetObjectVersion': 'when the code is in S3 (Code.S3Bucket), on that bucket',
    },
    check: (resource) => {
      for (const property of ['FileSystemConfigs', 'CodeSigningConfigArn', 'Layers', 'KmsKeyArn', 'CapacityProviderConfig']) {
        if (resource.properties[property] !== undefined) {
          throw new DeployPolicyError(`${resource.logicalId} (AWS::Lambda::Function): ${property} is not supported by the deploy policy; remove it`);
        }
      }
    },
    grants: (scope, resources) => {
      const objects = codeObjectArns(scope, resources);
      return [
        { sid: 'LambdaListFunctions', actions: ['lambda:ListFunctions'], resources: ['*'] },
        {
          sid: 'Ec2DescribeForHandlers',
          actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
          resources: ['*'],
        },
        {
          sid: 'LambdaStackFunctions',
          actions: [
            'lambda:CreateFunction',
            'lambda:DeleteFunction',
            'lambda:GetFunction',
            'lambda:UpdateFunctionCode',
            'lambda:UpdateFunctionConfiguration',
            'lambda:PublishVersion',
            'lambda:GetFunctionCodeSigningConfig',
            'lambda:DeleteFunctionCodeSigningConfig',
            'lambda:PutFunctionConcurrency',
            'lambda:DeleteFunctionConcurrency',
            'lambda:GetFunctionRecursionConfig',
            'lambda:PutFunctionRecursionConfig',
            'lambda:GetFunctionScalingConfig',
            'lambda:PutFunctionScalingConfig',
            'lambda:GetRuntimeManagementConfig',
            'lambda:PutRuntimeManagementConfig',
            'lambda:TagResource',
            'lambda:UntagResource',
            'lambda:ListTags',
          ],
          resources: functionArns(scope),
        },
        ...(objects.length === 0 ? [] : [{ sid: 'S3ReadFunctionCode', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: objects }]),
      ];
    },
  },
  {
    type: 'AWS::Lambda::Permission',
    grants: (scope) => [
      { sid: 'LambdaStackFunctions', actions: ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'], resources: functionArns(scope) },
    ],
  },
  {
    type: 'AWS::CloudFormation::CustomResource',
    grants: (scope, resources) => {
      const functions = new Set(resources.filter((r) => r.type === 'AWS::Lambda::Function').map((r) => r.logicalId));
      resources.filter((r) => r.type === 'AWS::CloudFormation::CustomResource' || isCustomResourceType(r.type)).forEach((r) => checkServiceToken(r, functions));
      return [{ sid: 'LambdaInvokeCustomResourceProviders', actions: ['lambda:InvokeFunction'], resources: functionArns(scope) }];
    },
  },
  // CloudFormation handles these itself: no service calls by the deploy role.
  { type: 'AWS::CDK::Metadata', grants: () => [] },
  { type: 'AWS::CloudFormation::WaitConditionHandle', grants: () => [] },
  { type: 'AWS::CloudFormation::WaitCondition', grants: () => [] },
];

/** Custom resources must be backed by a Lambda function of this stack (so the invoke is scoped). */
function checkServiceToken(resource: TemplateResource, functions: ReadonlySet<string>): void {
  const token = resource.properties.ServiceToken;
  const getAtt = isObject(token) ? token['Fn::GetAtt'] : undefined;
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && functions.has(getAtt[0] as string)) return;
  throw new DeployPolicyError(
    `${resource.logicalId} (${resource.type}): ServiceToken must be Fn::GetAtt [<a Lambda function of this stack>, Arn] so the deploy policy can scope lambda:InvokeFunction to the stack's functions`,
  );
}

/** Custom::<Name> is AWS::CloudFormation::CustomResource under another name. */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::');
}
