import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FLEET_TABLE_SCHEMA } from '../settings';
import type { ErrorCode } from '../../errors';
import { createFleetTableClient, type FleetTableOptions } from '../../fleet-table/client';

/** A fleet-state option that cannot work, named with its fix. */
export class FleetStateConfigError extends Error {
  readonly code = 'TXP_FLEET_STATE_CONFIG_INVALID' satisfies ErrorCode;
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'FleetStateConfigError';
  }
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export function validateTableOptions(options: FleetTableOptions): void {
  if (typeof options.tableName !== 'string' || !TABLE_NAME.test(options.tableName)) {
    throw new FleetStateConfigError(
      'tableName (FLEET_TABLE)',
      `is ${JSON.stringify(options.tableName)}: a DynamoDB table name is 3-255 letters, digits, "_", "." or "-"; use the table the construct created (SSM /<stack>/analyzer/fleet-table)`,
    );
  }
  if (options.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(String(options.endpoint));
    } catch {
      throw new FleetStateConfigError(
        'endpoint (FLEET_ENDPOINT)',
        `is ${JSON.stringify(String(options.endpoint))}, not a URL: use e.g. http://127.0.0.1:8000, or leave it unset for the regional endpoint`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FleetStateConfigError('endpoint (FLEET_ENDPOINT)', `has protocol ${url.protocol}: use http: or https:`);
    }
  }
  if (options.requestTimeoutMs !== undefined && (!Number.isSafeInteger(options.requestTimeoutMs) || options.requestTimeoutMs < 100)) {
    throw new FleetStateConfigError('requestTimeoutMs', `must be an integer of at least 100, got ${JSON.stringify(options.requestTimeoutMs)}`);
  }
}

/**
 * The SDK client, with one attempt per call: the fleet state retries on its own schedule (with
 * backoff, while analysis goes on) instead of holding a caller inside the SDK's retries.
 */
export function createTableClient(options: FleetTableOptions): DynamoDBClient {
  return createFleetTableClient(options, 1);
}

/** Items of the two kinds share the table; their keys keep them apart. */
export const KEYS = {
  pk: FLEET_TABLE_SCHEMA.partitionKey,
  sk: FLEET_TABLE_SCHEMA.sortKey,
  ttl: FLEET_TABLE_SCHEMA.ttlAttribute,
} as const;

/** Inventory items are spread over this many partitions, and read back with one query each. */
export const INVENTORY_SHARDS = 16;

export { findingItemKey as findingKey } from '../../fleet-table';

export function inventoryPartition(shard: number): string {
  return `inventory#${shard}`;
}

/** Whether a failed call says the request itself was refused (a bug or a bound), not that the table is out of reach. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

export function isRejectedRequest(error: unknown): boolean {
  return (error as { name?: string }).name === 'ValidationException';
}

/** The error's name and message, never a request's contents. */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}
