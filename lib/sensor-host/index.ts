import { Aws, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { TxPreventControlPlane } from '../control-plane/control-plane';
import { BundleAsset } from '../service-runtime/bundle-asset';
import { SENSOR_ENV_NAMES, type SensorEnvName } from '../../sensor/config/settings';
import { renderSensorInstallScript, type SensorEnvironment } from './install-script';

export { renderSensorInstallScript, renderSensorUnit, renderSensorEnvironment, renderSensorAgentConfig } from './install-script';
export type { SensorInstallOptions } from './install-script';

/** A host (or fleet) that runs the application the sensor watches. */
export type SensorTarget = ec2.Instance | autoscaling.AutoScalingGroup;

export interface SensorHostProps {
  /** SENSOR_TAGS: the application this sensor runs beside, e.g. `["shop.shop-prod"]`. */
  readonly tags: string[];
  /**
   * Further sensor settings by environment name (`PORTS`, `BPF_FILTER`, `INTERFACE`,
   * `BODY_MAX_BYTES`, ... of `tx-prevent-sensor --help`). INTERFACE defaults to the interface of
   * the default route.
   * @default - none
   */
  readonly environment?: SensorEnvironment;
  /**
   * Memory limit of the sensor (systemd MemoryMax); the vendor recommends 300 MB free for it.
   * @default '300M'
   */
  readonly memoryMax?: string;
}

const MANAGED: ReadonlySet<string> = new Set([
  'ANALYZER_URL',
  'SENSOR_TOKEN',
  'SENSOR_TOKEN_SECRET_ID',
  'REDACTION_KEY',
  'REDACTION_KEY_SECRET_ID',
  'SENSOR_TAGS',
] satisfies SensorEnvName[]);

function checkProps(props: SensorHostProps): void {
  if (props.tags.length === 0) throw new Error('addSensor: tags is empty: name the application the sensor watches (SENSOR_TAGS), e.g. ["shop.shop-prod"]');
  for (const tag of props.tags) {
    if (!Token.isUnresolved(tag) && !/^[A-Za-z0-9_.:=/+@-]{1,128}$/.test(tag)) {
      throw new Error(`addSensor: tag "${tag}" may only hold letters, digits and _.:=/+@- (at most 128 characters)`);
    }
  }
  for (const [name, value] of Object.entries(props.environment ?? {}) as [string, string][]) {
    if (MANAGED.has(name)) throw new Error(`addSensor: environment sets ${name}, which addSensor manages: remove it`);
    if (!SENSOR_ENV_NAMES.has(name))
      throw new Error(`addSensor: environment name "${name}" is not a sensor setting: use the names of docs/generated/sensor-settings.md (e.g. PORTS)`);
    if (/[\n\r']/.test(value)) throw new Error(`addSensor: environment ${name} holds a newline or quote, which an environment file cannot carry`);
  }
  if (props.memoryMax !== undefined && !/^\d+[KMG]$/.test(props.memoryMax)) {
    throw new Error(`addSensor: memoryMax "${props.memoryMax}" is not a systemd size such as 300M or 1G`);
  }
}

/** The sensor bundle asset, one per control plane, readable through the sensor host policy. */
function sensorBundle(controlPlane: TxPreventControlPlane): BundleAsset {
  const existing = controlPlane.node.tryFindChild('SensorBundle');
  if (existing) return existing as BundleAsset;
  const bundle = new BundleAsset(controlPlane, 'SensorBundle', 'sensor');
  controlPlane.sensorHostPolicy.addStatements(new iam.PolicyStatement({ sid: 'ReadSensorBundle', actions: ['s3:GetObject'], resources: [bundle.objectArn] }));
  return bundle;
}

export function installSensor(controlPlane: TxPreventControlPlane, target: SensorTarget, props: SensorHostProps): void {
  checkProps(props);
  const bundle = sensorBundle(controlPlane);
  target.role.addManagedPolicy(controlPlane.sensorLogPolicy);
  target.role.addManagedPolicy(controlPlane.sensorHostPolicy);
  controlPlane.connections.allowDefaultPortFrom(target, 'TX Prevent sensor to the analyzer');
  const script = renderSensorInstallScript({
    bundleS3Url: bundle.s3ObjectUrl,
    region: Aws.REGION,
    analyzerUrl: controlPlane.analyzerUrl,
    tokenSecretId: controlPlane.keys.sensorToken.secretName,
    redactionKeySecretId: controlPlane.keys.redactionKey.secretName,
    logGroupName: controlPlane.sensorLogGroup.logGroupName,
    tags: props.tags,
    environment: props.environment ?? {},
    memoryMax: props.memoryMax ?? '300M',
  }).split('\n');
  if (target instanceof autoscaling.AutoScalingGroup) target.addUserData(...script);
  else target.userData.addCommands(...script);
}
