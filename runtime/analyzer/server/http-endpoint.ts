import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpEndpointRoutes {
  metrics(): string;
  openApi(): Promise<Record<string, unknown>>;
  ready(): boolean;
}

/**
 * The local HTTP endpoint: GET /metrics (Prometheus text), /openapi.json (the API inventory as
 * OpenAPI 3.1), /healthz (200 when ready, 503 otherwise). Bound to loopback by default.
 */
export async function startHttpEndpoint(host: string, port: number, routes: HttpEndpointRoutes): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET') return reply(405, 'text/plain', 'only GET\n');
    try {
      if (path === '/metrics') return reply(200, 'text/plain; version=0.0.4', routes.metrics());
      if (path === '/openapi.json') {
        routes.openApi().then(
          (document) => reply(200, 'application/json', JSON.stringify(document, null, 2)),
          (error: Error) => reply(500, 'text/plain', `${error.message}\n`),
        );
        return;
      }
      if (path === '/healthz') return routes.ready() ? reply(200, 'text/plain', 'ok\n') : reply(503, 'text/plain', 'not ready\n');
      return reply(404, 'text/plain', 'not found: try /metrics, /openapi.json or /healthz\n');
    } catch (error) {
      return reply(500, 'text/plain', `${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
