/**
 * Sends one scan request to an already-checked address: the socket goes to `address` (never a
 * fresh DNS lookup), the Host header and TLS SNI carry the application's name, redirects are
 * returned, not followed, and the response body is capped.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { ScanTarget } from '../safety';
import type { ErrorCode } from '../../errors';

export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface SendOptions {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly verifyTls: boolean;
  readonly signal?: AbortSignal;
}

export class SendError extends Error {
  readonly code = 'TXP_STS_SEND_FAILED' satisfies ErrorCode;
  constructor(
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
  }
}

function decoder(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip());
  if (encoding === 'deflate') return response.pipe(createInflate());
  if (encoding === 'br') return response.pipe(createBrotliDecompress());
  return response;
}

export function sendRequest(target: ScanTarget, request: WireRequest, options: SendOptions): Promise<WireResponse> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const body = Buffer.from(request.body, 'utf8');
  const headers: [string, string][] = [['Host', target.hostHeader], ...request.headers.map(([n, v]) => [n, v] as [string, string])];
  if (body.length > 0 || !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) headers.push(['Content-Length', String(body.length)]);
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    let settled = false;
    const finish = (error: Error | undefined, response?: WireResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) fail(error instanceof SendError ? error : new SendError(error.message, elapsed()));
      else done(response as WireResponse);
    };
    const req = send({
      host: target.address,
      port: target.port,
      method: request.method,
      path: request.path,
      headers: headers.flat(),
      agent: false,
      setHost: false,
      ...(target.scheme === 'https' ? { servername: target.servername || undefined, rejectUnauthorized: options.verifyTls } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(new SendError(`no complete response within ${options.timeoutMs} ms`, elapsed()));
    }, options.timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish(new SendError('scan stopped', elapsed()));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => finish(error));
    req.on('response', (response) => {
      const responseHeaders: [string, string][] = [];
      for (let i = 0; i < response.rawHeaders.length; i += 2) responseHeaders.push([response.rawHeaders[i], response.rawHeaders[i + 1]]);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const stream = decoder(response);
      stream.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = options.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          req.destroy();
          finish(undefined, {
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
            durationMs: elapsed(),
          });
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      stream.on('end', () =>
        finish(undefined, {
          status: response.statusCode ?? 0,
          headers: responseHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
          durationMs: elapsed(),
        }),
      );
      stream.on('error', (error) => finish(error));
    });
    req.end(body);
  });
}
