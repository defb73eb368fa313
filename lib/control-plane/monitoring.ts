import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ANALYZER_METRICS_DIMENSIONS, ANALYZER_METRICS_NAMESPACE } from '../../runtime/analyzer/settings/contract';
import type { AnalyzerMetricName } from '../../runtime/analyzer/metrics';
import { acknowledge } from '../nag';

export interface ControlPlaneMonitoringProps {
  readonly namePrefix: string;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly analyzerTargetGroup: elbv2.ApplicationTargetGroup;
  readonly stsTargetGroup: elbv2.ApplicationTargetGroup;
  readonly alarms: boolean;
  readonly dashboard: boolean;
  readonly alarmTopic?: sns.ITopic;
  readonly expectedSensors: number;
  readonly spoolAlarmBytes: number;
  readonly sinkLagAlarmBytes: number;
}

export function analyzerMetric(metricName: AnalyzerMetricName, statistic: string, period = Duration.minutes(5)): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: ANALYZER_METRICS_NAMESPACE, metricName, dimensionsMap: ANALYZER_METRICS_DIMENSIONS, statistic, period });
}

/**
 * Alarms a platform team pages on, and one dashboard: unhealthy targets, 5xx, sensors gone,
 * a filling spool and a lagging sink.
 */
export class ControlPlaneMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The alarms on the analyzer's EMF metrics: without its metric lines they have no data. */
  readonly analyzerMetricAlarms: cloudwatch.Alarm[] = [];
  readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ControlPlaneMonitoringProps) {
    super(scope, id);
    const lb = props.loadBalancer.metrics;
    const metrics = {
      analyzerUnhealthy: props.analyzerTargetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
      stsUnhealthy: props.stsTargetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
      elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum', period: Duration.minutes(5) }),
      target5xx: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period: Duration.minutes(5) }),
      // Stream-seconds summed over all analyzers, per second of the period: the average number of
      // sensors connected, however many analyzers there are and however often they report.
      connectedSensors: new cloudwatch.MathExpression({
        expression: 'streamSeconds / PERIOD(streamSeconds)',
        usingMetrics: { streamSeconds: analyzerMetric('sensor_stream_seconds', 'Sum') },
        period: Duration.minutes(5),
        label: 'Connected sensor streams (average)',
      }),
      spoolDepth: analyzerMetric('spool_depth_bytes', 'Maximum'),
      sinkLag: analyzerMetric('sink_lag_max_bytes', 'Maximum'),
      exchangesIn: analyzerMetric('exchanges_in', 'Sum'),
      findingsOut: analyzerMetric('findings_out', 'Sum'),
      matchEventsOut: analyzerMetric('match_events_out', 'Sum'),
      verdictsIn: analyzerMetric('verdicts_in', 'Sum'),
    };

    if (props.alarms) {
      const alarm = (
        logicalId: string,
        metric: cloudwatch.IMetric,
        threshold: number,
        comparisonOperator: cloudwatch.ComparisonOperator,
        evaluationPeriods: number,
        description: string,
        treatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
      ) => {
        const created = new cloudwatch.Alarm(this, logicalId, {
          alarmName: `${props.namePrefix}-${logicalId}`,
          alarmDescription: description,
          metric,
          threshold,
          comparisonOperator,
          evaluationPeriods,
          treatMissingData,
        });
        if (props.alarmTopic) {
          created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
          created.addOkAction(new actions.SnsAction(props.alarmTopic));
        } else {
          acknowledge(created, 'alarmWithoutTopic');
        }
        this.alarms.push(created);
        return created;
      };
      const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
      alarm('AnalyzerUnhealthyTargets', metrics.analyzerUnhealthy, 1, gte, 3, 'An analyzer instance fails its gRPC health check');
      alarm('StsUnhealthyTargets', metrics.stsUnhealthy, 1, gte, 3, 'A Scan Template Service instance fails its gRPC health check');
      alarm('LoadBalancer5xx', metrics.elb5xx, 10, gte, 1, 'The load balancer answered 5xx itself (no healthy target, TLS or protocol errors)');
      alarm('Target5xx', metrics.target5xx, 10, gte, 1, 'The services answered 5xx');
      const analyzerAlarm = (...args: Parameters<typeof alarm>) => this.analyzerMetricAlarms.push(alarm(...args));
      analyzerAlarm(
        'SensorsDisconnected',
        metrics.connectedSensors,
        props.expectedSensors,
        cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        3,
        `Fewer than ${props.expectedSensors} sensor stream(s) connected on average, for three 5-minute periods in a row`,
        cloudwatch.TreatMissingData.BREACHING,
      );
      analyzerAlarm('SpoolFilling', metrics.spoolDepth, props.spoolAlarmBytes, gte, 3, 'An analyzer spool holds more undelivered events than it should');
      analyzerAlarm('SinkLagging', metrics.sinkLag, props.sinkLagAlarmBytes, gte, 3, 'A sink (gateway, webhook, log emitter, STS) is falling behind');
    }

    if (props.dashboard) {
      const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${props.namePrefix}-TxPrevent` });
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'Unhealthy targets', left: [metrics.analyzerUnhealthy, metrics.stsUnhealthy], width: 8 }),
        new cloudwatch.GraphWidget({ title: '5xx', left: [metrics.elb5xx, metrics.target5xx], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Connected sensor streams', left: [metrics.connectedSensors], width: 8 }),
      );
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'Exchanges in', left: [metrics.exchangesIn], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Findings, attacks, verdicts', left: [metrics.findingsOut, metrics.matchEventsOut, metrics.verdictsIn], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Spool depth and sink lag (bytes)', left: [metrics.spoolDepth, metrics.sinkLag], width: 8 }),
      );
      this.dashboard = dashboard;
    }
  }
}
