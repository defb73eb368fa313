export { AnalyzerMetrics } from './registry';
export type { AnalyzerCounters, AnalyzerGaugeName, AnalyzerMetricName, GaugeSample } from './registry';
export { LatencyHistogram, LATENCY_BUCKETS_MS } from './histogram';
