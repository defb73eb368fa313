import type { Writable } from 'node:stream';
import { GatewaySink, LogEmitterSink, StdoutSink, StsSink, WebhookSink, type Sink } from '../sinks';
import type { ScanVerdictRecord } from '../events';
import type { AnalyzerRuntimeConfig } from './runtime-config';

/** The sinks the configuration turns on, in a fixed order (their names are spool consumer names). */
export function buildSinks(config: AnalyzerRuntimeConfig, stdout: Writable, onVerdict: (verdict: ScanVerdictRecord) => Promise<void>): Sink[] {
  const s = config.settings;
  const sinks: Sink[] = [];
  if (s.stdoutEvents) sinks.push(new StdoutSink(stdout));
  if (s.tenantId && s.apiKey) {
    sinks.push(
      new GatewaySink({
        hostname: s.gatewayHostname,
        tenantId: s.tenantId,
        apiKey: s.apiKey,
        batchSize: s.gatewayBatchSize,
        tokenTtlMs: s.gatewayTokenTtlS * 1000,
        ca: config.gatewayCa,
        timeoutMs: 30_000,
      }),
    );
  }
  if (s.webhookUrl && s.webhookSecret) {
    sinks.push(
      new WebhookSink({
        url: s.webhookUrl,
        secret: s.webhookSecret,
        eventTypes: s.webhookEvents,
        minSeverity: s.webhookMinSeverity,
        classes: s.webhookClasses,
        ca: config.webhookCa,
        timeoutMs: s.webhookTimeoutS * 1000,
      }),
    );
  }
  if (s.logEmitterHost) {
    sinks.push(
      new LogEmitterSink({
        host: s.logEmitterHost,
        port: s.logEmitterPort,
        ca: config.logEmitterCa,
        verify: s.logEmitterVerify,
        clientCert: config.logEmitterClient?.cert,
        clientKey: config.logEmitterClient?.key,
        connectTimeoutMs: 10_000,
        replayWindowMs: 2000,
      }),
    );
  }
  if (s.stsUrl) {
    sinks.push(
      new StsSink({
        url: s.stsUrl,
        token: s.sensorToken,
        ca: config.stsCa,
        acceptTimeoutMs: s.stsAcceptTimeoutS * 1000,
        maxPending: s.stsMaxPending,
        compress: s.sendCompressed,
        onVerdict,
      }),
    );
  }
  return sinks;
}
