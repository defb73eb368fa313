/**
 * Names the construct and the analyzer share. This module imports nothing, so the constructs can
 * import it without loading the analyzer.
 */

/** Default SSM parameter path: "/<STACK_NAME>/analyzer/". */
export const ANALYZER_SSM_SERVICE = 'analyzer';

/** The gRPC (TLS) port the analyzer listens on by default: the load balancer's target port. */
export const ANALYZER_DEFAULT_PORT = 50051;

/** CloudWatch namespace of the analyzer's EMF lines, which the construct's alarms and dashboard read. */
export const ANALYZER_METRICS_NAMESPACE = 'TxPrevent/Analyzer';

/**
 * The fleet-wide dimension of every EMF metric (each line also carries a second set with the
 * analyzer's id): alarms and scaling policies read the metrics with this one.
 */
export const ANALYZER_METRICS_DIMENSIONS = { Service: ANALYZER_SSM_SERVICE } as const;

/** SSM keys under /<STACK_NAME>/analyzer/ that the construct writes for the fleet state. */
export const FLEET_SETTING_KEYS = { table: 'fleet-table', flushInterval: 'fleet-flush-interval-s' } as const;

/**
 * The fleet table's key schema and TTL attribute: the construct creates the table with these and
 * the analyzer writes items with them.
 */
export const FLEET_TABLE_SCHEMA = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;

/**
 * The per-instance ingest rate the analyzer writes in each EMF line: exchanges accepted per
 * second since the previous line. Its Average over the fleet is what the ingest scaling policy tracks.
 */
export const INGEST_RATE_METRIC = 'exchanges_in_per_s';
