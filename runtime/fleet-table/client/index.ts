/** The fleet table's SDK client, as the analyzers and the Scan Template Service both create it. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Where the fleet table is and how to reach it: the same settings for the analyzers and the Scan Template Service. */
export interface FleetTableOptions {
  /** FLEET_TABLE: the table the construct created. */
  readonly tableName: string;
  /** FLEET_ENDPOINT: a DynamoDB API other than the regional endpoint (tests: dynalite on loopback). @default the regional endpoint */
  readonly endpoint?: URL | string;
  /** @default the SDK's region resolution (AWS_REGION, instance metadata) */
  readonly region?: string;
  /** Static credentials (tests). @default the SDK's default chain (the instance role on EC2) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Per-request timeout: a table that does not answer counts as unreachable this soon. @default 5000 */
  readonly requestTimeoutMs?: number;
}

/**
 * The SDK client for the fleet table. A table that does not answer within the request timeout is
 * treated as unreachable (the call fails), not waited on.
 * @param maxAttempts the SDK's attempts per call (each within the timeout); the caller says how
 *   long a call may hold what waits on it
 */
export function createFleetTableClient(options: FleetTableOptions, maxAttempts: number): DynamoDBClient {
  const timeout = options.requestTimeoutMs ?? 5000;
  return new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: String(options.endpoint) } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    maxAttempts,
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
  });
}
