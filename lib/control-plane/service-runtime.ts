import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { ANALYZER_DEFAULT_PORT, ANALYZER_SSM_SERVICE } from '../../runtime/analyzer/settings/contract';
import { STS_DEFAULT_PORT, STS_SSM_SERVICE } from '../../runtime/sts/settings/contract';

/** Which control-plane service a fleet runs. */
export type ServiceName = typeof ANALYZER_SSM_SERVICE | typeof STS_SSM_SERVICE;

/** What a fleet tells its runtime when the runtime is bound to it. */
export interface ServiceFleetBinding {
  /** The fleet construct (scope for anything the runtime adds, e.g. assets). */
  readonly scope: IConstruct;
  readonly service: ServiceName;
  /** The instance role. */
  readonly role: iam.IRole;
  /** Grant the runtime's extra needs (bundle assets, container registries) to this: they land in the fleet's managed policy. */
  readonly grantPrincipal: iam.IPrincipal;
  /** The service's CloudWatch log group. */
  readonly logGroup: logs.ILogGroup;
  /** SSM Parameter Store path the service reads its configuration from (`/<prefix>/<service>/`). */
  readonly parameterPath: string;
  /** The control plane's name prefix: services read `/<prefix>/<service>/` and secrets `/<prefix>/<name>` (their STACK_NAME). */
  readonly namePrefix: string;
  /** Logical id of the Auto Scaling group, for `cfn-signal --resource`. */
  readonly autoScalingGroupLogicalId: string;
  /** Name of the Auto Scaling group, for completing the termination lifecycle hook. */
  readonly autoScalingGroupName: string;
  /** Name of the termination lifecycle hook the service completes after draining. */
  readonly terminationHookName: string;
}

/** What a runtime contributes to the fleet it is bound to. */
export interface ServiceRuntimeConfig {
  /** Shell commands appended to the instances' user data (AL2023, run as root at first boot). */
  readonly userDataCommands: readonly string[];
  /** Port the service listens on (HTTPS, gRPC) behind the load balancer. */
  readonly targetPort: number;
  /** How long an instance may take from launch to signalling healthy. */
  readonly signalTimeout: Duration;
  /**
   * Settings (keys under `parameterPath`) the boot script reads and cannot do without; the
   * control plane refuses to build the fleet when its settings lack one.
   * @default - none
   */
  readonly requiredSettings?: readonly string[];
}

/**
 * The seam between the infrastructure and what runs on the instances. A runtime installs and
 * starts a service, and signals CloudFormation once the service is healthy (the Auto Scaling
 * group's creation and rolling-update policies wait for that signal).
 */
export interface IServiceRuntime {
  bind(fleet: ServiceFleetBinding): ServiceRuntimeConfig;
}

/** Ports the services listen on when no runtime says otherwise. */
export const DEFAULT_TARGET_PORTS: Record<ServiceName, number> = { analyzer: ANALYZER_DEFAULT_PORT, sts: STS_DEFAULT_PORT };
