import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny fake of the AWS JSON 1.1 APIs the config loader calls (SSM GetParametersByPath,
 * Secrets Manager GetSecretValue), on 127.0.0.1, so tests run the real SDK clients without AWS.
 */
export interface FakeAwsApi {
  readonly endpoint: string;
  /** Full parameter name → value. */
  readonly parameters: Map<string, string>;
  /** Secret id → secret string. */
  readonly secrets: Map<string, string>;
  /** Error names to answer with instead of values, by X-Amz-Target operation. */
  readonly failures: Map<string, string>;
  /** Every call, in order: operation and request body. */
  readonly calls: { operation: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startFakeAwsApi(pageSize = 2): Promise<FakeAwsApi> {
  const parameters = new Map<string, string>();
  const secrets = new Map<string, string>();
  const failures = new Map<string, string>();
  const calls: FakeAwsApi['calls'] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const operation = String(request.headers['x-amz-target'] ?? '');
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      calls.push({ operation, body });
      const reply = (status: number, payload: unknown, errorType?: string) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
        response.end(JSON.stringify(payload));
      };
      const failure = failures.get(operation);
      if (failure) return reply(400, { __type: failure, message: `fake ${failure}` }, failure);
      if (operation === 'AmazonSSM.GetParametersByPath') {
        const path = String(body.Path);
        const prefix = path.endsWith('/') ? path : `${path}/`;
        const matching = [...parameters.entries()].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
        const start = body.NextToken ? Number(body.NextToken) : 0;
        const page = matching.slice(start, start + pageSize);
        const next = start + pageSize < matching.length ? String(start + pageSize) : undefined;
        return reply(200, {
          Parameters: page.map(([Name, Value]) => ({ Name, Value, Type: 'SecureString', Version: 1 })),
          ...(next ? { NextToken: next } : {}),
        });
      }
      if (operation === 'secretsmanager.GetSecretValue') {
        const id = String(body.SecretId);
        const value = secrets.get(id);
        if (value === undefined)
          return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }, 'ResourceNotFoundException');
        return reply(200, { ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}`, Name: id, SecretString: value, VersionId: 'v1' });
      }
      return reply(400, { __type: 'UnknownOperationException', message: operation }, 'UnknownOperationException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    parameters,
    secrets,
    failures,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Static credentials for the fake; never real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret-access-key' };
