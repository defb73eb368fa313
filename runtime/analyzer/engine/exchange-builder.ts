import type { Body__Output, Header__Output, HttpExchange__Output } from '../../proto';

export interface ExchangeSpec {
  readonly id?: string;
  readonly method?: string;
  readonly target: string;
  readonly host?: string;
  readonly requestHeaders?: ReadonlyArray<readonly [string, string]>;
  readonly requestBody?: string | Buffer;
  readonly requestContentEncoding?: string;
  readonly status?: number;
  readonly responseHeaders?: ReadonlyArray<readonly [string, string]>;
  readonly responseBody?: string | Buffer;
  readonly tls?: boolean;
  readonly clientIp?: string;
  /** Request start, ms since the epoch. */
  readonly startMs?: number;
  /** No response seen. */
  readonly noResponse?: boolean;
}

let counter = 0;

function headers(list: ReadonlyArray<readonly [string, string]>): Header__Output[] {
  return list.map(([name, value]) => ({ name, value }));
}

function body(data: string | Buffer | undefined, encoding = ''): Body__Output {
  const buffer = data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  return { data: buffer, truncated: false, wire_length: buffer.length, content_encoding: encoding, decoded: false, missing_bytes: 0 };
}

/**
 * An HttpExchange as the proto loader delivers it (HttpExchange__Output), from a short
 * description: for tests, the traffic generator and benchmarks.
 */
export function buildExchange(spec: ExchangeSpec): HttpExchange__Output {
  const startUs = (spec.startMs ?? Date.now()) * 1000;
  const requestHeaders = [['Host', spec.host ?? 'api.example.com'] as const, ...(spec.requestHeaders ?? [])];
  const requestBody = body(spec.requestBody, spec.requestContentEncoding ?? '');
  if (spec.requestBody !== undefined && !requestHeaders.some(([n]) => n.toLowerCase() === 'content-length')) {
    requestHeaders.push(['Content-Length', String(requestBody.data.length)]);
  }
  counter++;
  return {
    id: spec.id ?? `test-sensor:boot:${counter}`,
    client: { ip: spec.clientIp ?? '203.0.113.7', port: 40000 + (counter % 20000) },
    server: { ip: '10.0.0.10', port: spec.tls ? 443 : 80 },
    tls: spec.tls ?? false,
    request: {
      method: spec.method ?? 'GET',
      target: spec.target,
      http_version: 'HTTP/1.1',
      headers: headers(requestHeaders),
      body: requestBody,
      trailers: [],
    },
    response: spec.noResponse
      ? null
      : {
          status: spec.status ?? 200,
          reason: '',
          http_version: 'HTTP/1.1',
          headers: headers(spec.responseHeaders ?? [['Content-Type', 'application/json']]),
          body: body(spec.responseBody),
          trailers: [],
          interim_statuses: [],
        },
    timing: { request_start_us: startUs, request_end_us: startUs + 200, response_start_us: startUs + 5200, response_end_us: startUs + 5400 },
    tags: [],
    connection_index: 0,
    connection_id: `conn-${counter}`,
  };
}
