import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { CertificateAndKey } from '@/runtime/tls';

/** Real local receivers on 127.0.0.1 for sink tests: HTTPS (webhook, gateway) and TLS JSON lines (log emitter). */

/** Listens on 127.0.0.1 (port 0: any free port) and returns the port. */
async function listenOnLoopback(server: NetServer, port: number): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops open connections, as a receiver that goes away does. */
async function closeDroppingConnections(server: NetServer | undefined, sockets: Set<Duplex>): Promise<void> {
  if (!server) return;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpsReceiver {
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Decides each answer; default 200 "{}". */
  respond: (request: ReceivedRequest) => { status: number; body?: string; delayMs?: number };
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startHttpsReceiver(tls: CertificateAndKey, port = 0): Promise<HttpsReceiver> {
  let server: HttpsServer | undefined;
  const sockets = new Set<Duplex>();
  const receiver: HttpsReceiver = {
    port,
    requests: [],
    respond: () => ({ status: 200, body: '{}' }),
    async stop() {
      const current = server;
      server = undefined;
      await closeDroppingConnections(current, sockets);
    },
    async start() {
      server = createHttpsServer({ cert: tls.cert, key: tls.key }, (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const received = { path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
          const answer = receiver.respond(received);
          const send = () => {
            if (answer.status >= 200 && answer.status < 300) receiver.requests.push(received);
            response.writeHead(answer.status, { 'content-type': 'application/json' });
            response.end(answer.body ?? '{}');
          };
          if (answer.delayMs) setTimeout(send, answer.delayMs);
          else send();
        });
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      (receiver as { port: number }).port = await listenOnLoopback(server, receiver.port);
    },
  };
  await receiver.start();
  return receiver;
}

export interface LineReceiver {
  readonly port: number;
  readonly lines: string[];
  /** Common names of client certificates seen. */
  readonly clientNames: string[];
  /** Stop reading from connections (a slow receiver) or resume. */
  setPaused(paused: boolean): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startLineReceiver(tls: CertificateAndKey, options: { clientCa?: string; port?: number } = {}): Promise<LineReceiver> {
  let server: TlsServer | undefined;
  const sockets = new Set<TLSSocket>();
  let paused = false;
  const receiver: LineReceiver = {
    port: options.port ?? 0,
    lines: [],
    clientNames: [],
    setPaused(value) {
      paused = value;
      for (const socket of sockets) {
        if (value) socket.pause();
        else socket.resume();
      }
    },
    async stop() {
      const current = server;
      server = undefined;
      await closeDroppingConnections(current, sockets);
    },
    async start() {
      server = createTlsServer(
        { cert: tls.cert, key: tls.key, ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}) },
        (socket) => {
          sockets.add(socket);
          const peer = socket.getPeerCertificate();
          if (peer?.subject?.CN) receiver.clientNames.push(String(peer.subject.CN));
          let buffered = '';
          socket.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8');
            const parts = buffered.split('\n');
            buffered = parts.pop() ?? '';
            receiver.lines.push(...parts);
          });
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
          if (paused) socket.pause();
        },
      );
      server.on('tlsClientError', () => undefined);
      (receiver as { port: number }).port = await listenOnLoopback(server, receiver.port);
    },
  };
  await receiver.start();
  return receiver;
}

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
