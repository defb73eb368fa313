/** A loopback HTTP server that records every request it gets (arrival time, headers) and answers via `reply`. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Finding__Output } from '@/runtime/proto';

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
  readonly inFlightAtStart: number;
}

export interface RecordingServer {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

export async function startRecordingServer(
  reply: (url: string, res: ServerResponse) => void = (_url, res) => res.end('<html><body>ok</body></html>'),
  host = '127.0.0.1',
  delayMs = 0,
): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  let inFlight = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    inFlight++;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now(), inFlightAtStart: inFlight });
    req.resume();
    req.on('end', () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        inFlight--;
        if (!res.destroyed) reply(req.url ?? '', res);
      }, delayMs);
      timers.add(timer);
      res.on('close', () => {
        if (timers.delete(timer)) {
          clearTimeout(timer);
          inFlight--;
        }
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A finding as the analyzer would send it, for an endpoint of any server. */
export function findingFor(options: {
  host: string;
  serverIp?: string;
  serverPort?: number;
  method?: string;
  target: string;
  findingClass: string;
  parameter?: string;
  location?: string;
  headers?: { name: string; value: string }[];
  body?: string;
  id?: string;
}): Finding__Output {
  const body = Buffer.from(options.body ?? '');
  const bodyRecord = { data: body, truncated: false, wire_length: body.length, content_encoding: '', decoded: false, missing_bytes: 0 };
  return {
    finding_id: options.id ?? `finding-${options.findingClass}-${options.target}`,
    finding_class: options.findingClass,
    cwe: '',
    severity: 'SEVERITY_HIGH',
    confidence: 0.5,
    endpoint: options.target.split('?')[0],
    method: options.method ?? 'GET',
    parameter: options.parameter ?? '',
    parameter_location: options.location ?? (options.parameter ? 'query' : ''),
    exchange: {
      id: 's:b:1',
      client: { ip: '10.0.0.9', port: 40000 },
      server: options.serverIp ? { ip: options.serverIp, port: options.serverPort ?? 80 } : null,
      tls: false,
      request: {
        method: options.method ?? 'GET',
        target: options.target,
        http_version: 'HTTP/1.1',
        headers: [{ name: 'Host', value: options.host }, ...(options.headers ?? [])],
        body: bodyRecord,
        trailers: [],
      },
      response: {
        status: 200,
        reason: 'OK',
        http_version: 'HTTP/1.1',
        headers: [{ name: 'Content-Type', value: 'text/html' }],
        body: { ...bodyRecord, data: Buffer.from('<html></html>') },
        trailers: [],
        interim_statuses: [],
      },
      timing: null,
      tags: [],
      connection_index: 0,
      connection_id: 'c1',
    },
    evidence: '',
    scheme: 'http',
    host: options.host,
    version: 1,
  };
}

/** An SQL injection finding with its own parameter (`id`) on a recording server, as a test that fills the scan queue submits. */
export function sqliFindingOn(server: RecordingServer, id: string): Finding__Output {
  return findingFor({
    id,
    host: `127.0.0.1:${server.port}`,
    serverIp: '127.0.0.1',
    serverPort: server.port,
    target: `/p?${id}=1`,
    findingClass: 'sqli',
    parameter: id,
  });
}
