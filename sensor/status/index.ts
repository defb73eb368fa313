/**
 * The status endpoint, bound to 127.0.0.1 only: GET /healthz (200 or 503 with the reasons) and
 * GET /status (every counter as JSON). Nothing here is secret.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Health {
  readonly healthy: boolean;
  readonly problems: string[];
}

export interface StatusSource {
  health(): Health;
  status(): Record<string, unknown>;
}

export class StatusServer {
  private server: Server | undefined;

  constructor(private readonly source: StatusSource) {}

  /** Listens on 127.0.0.1:port (0 picks a free port); resolves with the port. */
  async listen(port: number): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      let code = 200;
      let body: unknown;
      if (req.method !== 'GET') {
        code = 405;
        body = { error: 'only GET is supported' };
      } else if (path === '/healthz') {
        const h = this.source.health();
        code = h.healthy ? 200 : 503;
        body = { status: h.healthy ? 'ok' : 'unhealthy', problems: h.problems };
      } else if (path === '/status') {
        body = this.source.status();
      } else {
        code = 404;
        body = { error: 'not found; use /healthz or /status' };
      }
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
