/**
 * The analyzer's local HTTP endpoint (METRICS_HOST:METRICS_PORT, loopback): Prometheus metrics
 * for the progress display and the OpenAPI document of the API inventory for the report.
 */
import { get } from 'node:http';

function fetchText(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Unlabelled Prometheus samples by name (`txprevent_analyzer_` prefix removed). */
export type AnalyzerMetrics = ReadonlyMap<string, number>;

export function parsePrometheus(text: string): AnalyzerMetrics {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^txprevent_analyzer_([a-z0-9_]+) (\S+)$/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

export class AnalyzerHttp {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async metrics(timeoutMs = 3000): Promise<AnalyzerMetrics> {
    return parsePrometheus(await fetchText(`http://${this.host}:${this.port}/metrics`, timeoutMs));
  }

  async openApi(timeoutMs = 5000): Promise<OpenApiDocument> {
    return JSON.parse(await fetchText(`http://${this.host}:${this.port}/openapi.json`, timeoutMs)) as OpenApiDocument;
  }
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: { readonly type?: string | readonly string[]; readonly format?: string };
}

export interface OpenApiOperation {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly content: Record<string, { readonly schema?: { readonly properties?: Record<string, { readonly type?: string | readonly string[] }> } }>;
  };
  readonly responses?: Record<string, unknown>;
  readonly security?: readonly Record<string, unknown>[];
  readonly 'x-txprevent-observations'?: number;
  readonly 'x-txprevent-sensitive-data'?: readonly string[];
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
}
