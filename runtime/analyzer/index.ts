/**
 * The Runtime Analyzer service: sensor ingest over gRPC+TLS, the analysis engine, a durable spool
 * and the sinks (stdout, ThreatX gateway, webhook, Log Emitter, Scan Template Service).
 */
export { startAnalyzer, resolveRuntimeConfig, INGEST_SERVICE_NAME } from './server';
export type { AnalyzerDeps, AnalyzerRuntimeConfig, RunningAnalyzer, ShutdownReport } from './server';
export { loadAnalyzerConfig } from './load-config';
export type { LoadedAnalyzerConfig } from './load-config';
export { ANALYZER_SETTINGS, ANALYZER_SSM_SERVICE } from './settings';
export type { ScanVerdictRecord } from './events';
