import { Duration } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { INGEST_RATE_METRIC } from '../../runtime/analyzer/settings/contract';
import { analyzerMetric } from './monitoring';

export interface FleetScalingProps {
  /** Average CPU the group is kept at. */
  readonly targetCpuPercent: number;
  /** Average exchanges per second per analyzer the group is kept at (analyzer only). */
  readonly targetExchangesPerSecond?: number;
  /** Seconds a new instance needs before its metrics count. */
  readonly warmup: Duration;
}

/**
 * Target tracking between the group's minimum and maximum: on CPU for both fleets, and for the
 * analyzer also on ingest per instance (the EMF rate every analyzer writes; its average over the
 * fleet). Whichever asks for more instances wins; scale-in happens when both allow it, through
 * the drain lifecycle hook like any other termination.
 */
export function addScalingPolicies(group: autoscaling.AutoScalingGroup, props: FleetScalingProps): void {
  group.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: props.targetCpuPercent, estimatedInstanceWarmup: props.warmup });
  if (props.targetExchangesPerSecond === undefined) return;
  group.scaleToTrackMetric('IngestScaling', {
    metric: analyzerMetric(INGEST_RATE_METRIC, 'Average', Duration.minutes(1)),
    targetValue: props.targetExchangesPerSecond,
    estimatedInstanceWarmup: props.warmup,
  });
}
