import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import dynalite = require('dynalite');
import { FLEET_TABLE_SCHEMA } from '@/runtime/analyzer/settings';

/** Credentials for the local DynamoDB API (it checks that requests are signed, not by whom). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local-test-key', secretAccessKey: 'local-test-secret' };
export const LOCAL_REGION = 'us-east-1';

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly port: number;
  readonly client: DynamoDBClient;
  /** Creates a table with the fleet table's key schema, as the construct does. */
  createFleetTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** dynalite (a DynamoDB API implementation) on loopback, in memory. `port` 0 picks a free one. */
export async function startLocalDynamoDb(port = 0): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${bound}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    endpoint,
    port: bound,
    client,
    createFleetTable: async (name) => {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: FLEET_TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
            { AttributeName: FLEET_TABLE_SCHEMA.sortKey, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: FLEET_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
            { AttributeName: FLEET_TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
          ],
        }),
      );
      // dynalite does not implement TTL (UpdateTimeToLive); expiry is DynamoDB's job, not the analyzer's.
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
