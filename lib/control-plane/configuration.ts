import type { SecretValue } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { SECRETS_REMOVAL_POLICY } from './keys';
import type { ServiceName } from './service-runtime';
import type { ServiceSettings } from './setting-keys';
import { SECRET_NAMES, stackSecretName } from '../../runtime/config/stack-secrets';

export interface ControlPlaneConfigurationProps {
  readonly namePrefix: string;
  /** Settings per service; each becomes `/<prefix>/<service>/<key>`. */
  readonly settings: ServiceSettings;
  /** The API key to store as `/<prefix>/api-key`. @default - none: `apiKeySecret` is used */
  readonly apiKey?: SecretValue;
  /** An existing secret holding the API key. @default - none: `apiKey` is stored in a new secret */
  readonly apiKeySecret?: secretsmanager.ISecret;
  readonly encryptionKey: kms.IKey;
}

/**
 * The services' configuration: plain settings in SSM Parameter Store under `/<prefix>/<service>/`
 * (read by path at start), and the ThreatX API key in Secrets Manager as `/<prefix>/api-key`.
 */
export class ControlPlaneConfiguration extends Construct {
  readonly apiKeySecret: secretsmanager.ISecret;
  private readonly parameters = new Map<string, ssm.StringParameter>();

  constructor(scope: Construct, id: string, props: ControlPlaneConfigurationProps) {
    super(scope, id);
    for (const [service, settings] of Object.entries(props.settings) as [ServiceName, Record<string, string | undefined>][]) {
      for (const [key, value] of Object.entries(settings)) {
        if (value === undefined) continue;
        const parameter = new ssm.StringParameter(this, `${service}-${key}`, {
          parameterName: `/${props.namePrefix}/${service}/${key}`,
          stringValue: value,
          description: `TX Prevent ${service} setting ${key}`,
          simpleName: false,
        });
        this.parameters.set(`${service}/${key}`, parameter);
      }
    }
    if (props.apiKeySecret) {
      this.apiKeySecret = props.apiKeySecret;
    } else {
      const secret = new secretsmanager.Secret(this, 'ApiKey', {
        secretName: stackSecretName(props.namePrefix, SECRET_NAMES.apiKey),
        description: 'TX Prevent: the ThreatX API key',
        secretStringValue: props.apiKey,
        encryptionKey: props.encryptionKey,
        removalPolicy: SECRETS_REMOVAL_POLICY,
      });
      acknowledge(secret, 'apiKeyRotation');
      acknowledge(secret, 'apiKeyRotationNist');
      this.apiKeySecret = secret;
    }
  }

  /** The SSM parameter of one setting, e.g. `parameter('analyzer', 'tenant-id')`. */
  parameter<S extends ServiceName>(service: S, key: keyof ServiceSettings[S] & string): ssm.StringParameter {
    const found = this.parameters.get(`${service}/${key}`);
    if (!found) throw new Error(`no ${service} setting "${key}"; settings: ${[...this.parameters.keys()].join(', ')}`);
    return found;
  }
}
