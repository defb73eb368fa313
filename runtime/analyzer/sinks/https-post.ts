import { request } from 'node:https';

export interface HttpsPostOptions {
  readonly url: URL;
  readonly body: string;
  readonly headers?: Record<string, string>;
  /** Extra CA certificates (PEM) trusted besides the system ones. */
  readonly ca?: string;
  readonly timeoutMs: number;
}

export interface HttpsResponse {
  readonly status: number;
  readonly body: string;
}

/** Largest response body read; receivers' answers are small and are not trusted to be. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** One HTTPS POST with a hard timeout (connect + response). Rejects on network errors and timeouts. */
export function httpsPost(options: HttpsPostOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(options.body);
    const req = request(
      options.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...options.headers },
        ...(options.ca ? { ca: options.ca } : {}),
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', fail);
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`no response from ${options.url.host} within ${options.timeoutMs} ms`)), options.timeoutMs);
    function fail(error: Error) {
      clearTimeout(deadline);
      reject(error);
    }
    req.on('timeout', () => req.destroy(new Error(`no response from ${options.url.host} within ${options.timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}
