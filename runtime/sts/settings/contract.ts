/**
 * Names the construct and the Scan Template Service share. This module imports nothing, so the
 * constructs can import it without loading the STS.
 */

/** Default SSM parameter path: "/<STACK_NAME>/sts/". */
export const STS_SSM_SERVICE = 'sts';

/** The gRPC (TLS) port the STS listens on by default: the load balancer's target port. */
export const STS_DEFAULT_PORT = 50052;

/** CloudWatch namespace of the STS's EMF lines. */
export const STS_METRICS_NAMESPACE = 'TxPrevent/Sts';
