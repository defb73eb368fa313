export { AnalyzerMetrics } from './registry';
export type { AnalyzerCounters, GaugeSample } from './registry';
export { LatencyHistogram, LATENCY_BUCKETS_MS } from './histogram';
