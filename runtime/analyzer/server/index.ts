export { startAnalyzer, INGEST_SERVICE_NAME } from './analyzer';
export type { AnalyzerDeps, RunningAnalyzer, ShutdownReport } from './analyzer';
export { resolveRuntimeConfig } from './runtime-config';
export type { AnalyzerRuntimeConfig } from './runtime-config';
