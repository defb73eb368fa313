import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DEFAULT_TARGET_PORTS, type IServiceRuntime, type ServiceFleetBinding, type ServiceRuntimeConfig } from '../control-plane/service-runtime';
import { renderBootScript, type BootScriptOptions, type ServiceLaunch } from './boot-script';
import { BundleAsset } from './bundle-asset';

/** The SSM setting (under `/<prefix>/<service>/`) a container fleet's boot script reads its image tag from. */
export const IMAGE_TAG_SETTING_KEY = 'image-tag';

export interface ServiceRuntimeOptions {
  /**
   * How long an instance may take from launch to a healthy service (package installs included).
   * @default Duration.minutes(15)
   */
  readonly signalTimeout?: Duration;
  /**
   * The service's memory limit (systemd MemoryMax) as a share of the instance's memory.
   * @default 80
   */
  readonly memoryMaxPercent?: number;
  /**
   * Time the service gets to drain when stopped; keep it below the fleet's drain timeout.
   * @default Duration.seconds(120)
   */
  readonly drainTime?: Duration;
}

function checkOptions(options: ServiceRuntimeOptions): void {
  const percent = options.memoryMaxPercent;
  if (percent !== undefined && !Token.isUnresolved(percent) && (!Number.isInteger(percent) || percent < 10 || percent > 100)) {
    throw new Error(`memoryMaxPercent must be a whole number from 10 to 100, got ${percent}`);
  }
}

function bootOptions(fleet: ServiceFleetBinding, options: ServiceRuntimeOptions, launch: ServiceLaunch): BootScriptOptions {
  const signalTimeout = options.signalTimeout ?? Duration.minutes(15);
  return {
    service: fleet.service,
    stackName: Aws.STACK_NAME,
    namePrefix: fleet.namePrefix,
    region: Aws.REGION,
    autoScalingGroupLogicalId: fleet.autoScalingGroupLogicalId,
    autoScalingGroupName: fleet.autoScalingGroupName,
    terminationHookName: fleet.terminationHookName,
    logGroupName: fleet.logGroup.logGroupName,
    targetPort: DEFAULT_TARGET_PORTS[fleet.service],
    // Leave a minute of the signal timeout for the packages and the bundle.
    healthTimeoutSeconds: Math.max(60, signalTimeout.toSeconds() - 300),
    drainSeconds: (options.drainTime ?? Duration.seconds(120)).toSeconds(),
    memoryMaxPercent: options.memoryMaxPercent ?? 80,
    launch,
  };
}

function config(boot: BootScriptOptions, options: ServiceRuntimeOptions): ServiceRuntimeConfig {
  return {
    userDataCommands: renderBootScript(boot).split('\n'),
    targetPort: boot.targetPort,
    signalTimeout: options.signalTimeout ?? Duration.minutes(15),
  };
}

/** The service's bundle as an asset that only the fleet's role may read; returns its `s3://` URL. */
function bundleForFleet(fleet: ServiceFleetBinding): string {
  const bundle = new BundleAsset(fleet.scope, 'Bundle', fleet.service);
  // Exactly this object: no bucket-wide wildcard.
  fleet.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadServiceBundle', actions: ['s3:GetObject'], resources: [bundle.objectArn] }));
  return bundle.s3ObjectUrl;
}

/**
 * Runs a service from this package's esbuild bundle on Node.js 22 (AL2023's `nodejs22`), as a
 * hardened systemd service. The bundle is an S3 asset that only the fleet's role may read.
 */
export class NodeServiceRuntime implements IServiceRuntime {
  constructor(private readonly options: ServiceRuntimeOptions = {}) {
    checkOptions(options);
  }

  bind(fleet: ServiceFleetBinding): ServiceRuntimeConfig {
    const entryPoint = fleet.service === 'analyzer' ? 'tx-prevent-analyzer.js' : 'tx-prevent-sts.js';
    return config(bootOptions(fleet, this.options, { kind: 'node', bundleS3Url: bundleForFleet(fleet), entryPoint }), this.options);
  }
}

export interface ContainerServiceRuntimeOptions extends ServiceRuntimeOptions {
  /** Image repository URI without a tag, e.g. `public.ecr.aws/threatx/raap/threatx-runtime-analyzer`. */
  readonly repository: string;
  /**
   * A private ECR repository the image comes from: the fleet may pull from it.
   * @default - a public registry, no pull permissions
   */
  readonly ecrRepository?: ecr.IRepository;
}

/**
 * Runs a vendor container image with Docker and the `awslogs` log driver. The tag is read at boot
 * from `/<prefix>/<service>/image-tag` (the drop-in stack's `AnalyzerImageTag`/`StsImageTag`).
 * The service's bundle is fetched too, for `tx-prevent-health`: the boot script signals success
 * only once the container answers gRPC health SERVING, as the load balancer's check expects.
 */
export class ContainerServiceRuntime implements IServiceRuntime {
  constructor(private readonly options: ContainerServiceRuntimeOptions) {
    checkOptions(options);
    if (!Token.isUnresolved(options.repository) && !/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/.test(options.repository)) {
      throw new Error(
        `repository "${options.repository}" is not an image repository URI without a tag (e.g. public.ecr.aws/threatx/raap/threatx-runtime-analyzer)`,
      );
    }
  }

  bind(fleet: ServiceFleetBinding): ServiceRuntimeConfig {
    const stack = Stack.of(fleet.scope);
    const repository = this.options.ecrRepository;
    if (repository) {
      repository.grantPull(fleet.grantPrincipal);
    }
    fleet.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadImageTag',
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${fleet.namePrefix}/${fleet.service}/${IMAGE_TAG_SETTING_KEY}` })],
      }),
    );
    const launch: ServiceLaunch = {
      kind: 'container',
      // Only for its health probe, which gates the success signal as for the bundled service.
      bundleS3Url: bundleForFleet(fleet),
      repository: this.options.repository,
      imageTagParameter: `/${fleet.namePrefix}/${fleet.service}/${IMAGE_TAG_SETTING_KEY}`,
      ecrRegistry: repository ? `${stack.account}.dkr.ecr.${stack.region}.${stack.urlSuffix}` : undefined,
    };
    // The boot script pulls `<repository>:<tag>` with the tag read from this setting.
    return { ...config(bootOptions(fleet, this.options, launch), this.options), requiredSettings: [IMAGE_TAG_SETTING_KEY] };
  }
}
