import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFleetTableClient } from '@/runtime/fleet-table/client';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamoDb } from '../analyzer/fleet-state/local-dynamodb';

/** An HTTP server on loopback that reads requests and never answers them. */
async function silentServer(): Promise<{ url: string; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request) => void requests.push(request));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('the fleet table client (the analyzers and the STS share it)', () => {
  it('reaches the table at the endpoint, region and credentials given', async () => {
    const db = await startLocalDynamoDb();
    const client = createFleetTableClient(
      { tableName: 'client-test', endpoint: new URL(db.endpoint), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS },
      1,
    );
    try {
      await db.createFleetTable('client-test');
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['client-test']);
      expect(await client.config.region()).toBe(LOCAL_REGION);
    } finally {
      client.destroy();
      await db.stop();
    }
  });

  it.each([1, 2])('gives up on a table that does not answer after the request timeout, %i attempt(s) per call', async (maxAttempts) => {
    const silent = await silentServer();
    const client = createFleetTableClient(
      { tableName: 'silent', endpoint: silent.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestTimeoutMs: 200 },
      maxAttempts,
    );
    try {
      await expect(client.send(new DescribeTableCommand({ TableName: 'silent' }))).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(silent.requests).toHaveLength(maxAttempts);
    } finally {
      client.destroy();
      silent.server.closeAllConnections();
      await new Promise((resolve) => silent.server.close(resolve));
    }
  });
});
