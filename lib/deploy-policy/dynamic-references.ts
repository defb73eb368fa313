import { DeployPolicyError } from './errors';
import type { Grant } from './grant';
import type { Scope } from './scope';
import { renderedStrings, type TemplateResource } from './template';

// The body stops at a brace, so a text full of unterminated references is still read in linear time.
const REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^{}]*)\}\}/g;

/**
 * CloudFormation reads `{{resolve:ssm:...}}` and `{{resolve:secretsmanager:...}}` values with the
 * deploy role while it deploys: allow reading exactly the parameters and secrets the template
 * names. Names that are only known at deploy time, and SecureString parameters (decrypted with a
 * key the template does not name), are refused.
 */
export function dynamicReferenceGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const known = { 'AWS::StackName': scope.stackName, 'AWS::Partition': scope.partition, 'AWS::Region': scope.region, 'AWS::AccountId': scope.account };
  const grants: Grant[] = [];
  for (const resource of resources) {
    for (const text of renderedStrings(resource.properties, known)) {
      for (const [reference, service, body] of text.matchAll(REFERENCE)) {
        const shown = reference!.replace(/\u0000/g, '<deploy-time value>');
        if (body!.includes('\u0000')) {
          throw new DeployPolicyError(
            `${resource.logicalId} (${resource.type}): dynamic reference ${shown} names its parameter or secret only at deploy time; the deploy policy must name it, so build it from literals and AWS::StackName`,
          );
        }
        if (service === 'ssm-secure') {
          throw new DeployPolicyError(
            `${resource.logicalId} (${resource.type}): ${shown} (SecureString) is not supported by the deploy policy; keep secrets in Secrets Manager and reference them with {{resolve:secretsmanager:...}}`,
          );
        }
        grants.push(service === 'ssm' ? parameterGrant(scope, body!) : secretGrant(scope, body!));
      }
    }
  }
  return grants;
}

function parameterGrant(scope: Scope, body: string): Grant {
  const name = body.split(':')[0]!.replace(/^\//, '');
  return { sid: 'SsmResolveDynamicReferences', actions: ['ssm:GetParameters'], resources: [scope.arn('ssm', `parameter/${name}`)] };
}

function secretGrant(scope: Scope, body: string): Grant {
  // secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]; an ARN id has 7 colon-separated parts.
  const parts = body.split(':');
  const resource = body.startsWith('arn:') ? parts.slice(0, 7).join(':') : scope.arn('secretsmanager', `secret:${parts[0]}-??????`);
  return { sid: 'SecretsManagerResolveDynamicReferences', actions: ['secretsmanager:GetSecretValue'], resources: [resource] };
}
