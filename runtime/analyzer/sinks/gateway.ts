import { httpsPost } from './https-post';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from './sink';
import type { RoutableEvent } from '../events';

export interface GatewaySinkOptions {
  /** GatewayHostname (optionally host:port). */
  readonly hostname: string;
  readonly tenantId: string;
  readonly apiKey: string;
  /** Events per request. */
  readonly batchSize: number;
  /** Log in again after this long even without a rejection (the token's lifetime is not announced). */
  readonly tokenTtlMs: number;
  readonly ca?: string;
  readonly timeoutMs: number;
}

interface ApiAnswer {
  readonly Ok?: { readonly status?: boolean; readonly token?: string } | unknown;
  readonly Error?: unknown;
}

function parseAnswer(text: string): ApiAnswer | undefined {
  try {
    return JSON.parse(text) as ApiAnswer;
  } catch {
    return undefined;
  }
}

/** The gateway refused the session token (expired or revoked): log in again and retry once. */
function isTokenRejection(status: number, answer: ApiAnswer | undefined): boolean {
  if (status === 401) return true;
  return typeof answer?.Error === 'string' && /token|session|expired|unauthori[sz]ed/i.test(answer.Error);
}

/**
 * The ThreatX gateway: seed 000's API login flow (`{"command":"login","api_token":<API key>}` →
 * `{"Ok":{"token":...}}`), then batches of events POSTed to /events as
 * `{"command":"ingest","token":...,"customer_name":<tenant>,"events":[...]}`. A rejected or
 * expired token triggers one new login and a retry; the API key never appears in errors.
 */
export class GatewaySink implements Sink {
  readonly name = 'gateway';
  private token: string | undefined;
  private tokenAt = 0;
  logins = 0;

  constructor(private readonly options: GatewaySinkOptions) {}

  accepts(_event: RoutableEvent): boolean {
    return true;
  }

  private url(path: string): URL {
    return new URL(`https://${this.options.hostname}${path}`);
  }

  private async login(): Promise<string> {
    const response = await httpsPost({
      url: this.url('/login'),
      body: JSON.stringify({ command: 'login', api_token: this.options.apiKey }),
      ca: this.options.ca,
      timeoutMs: this.options.timeoutMs,
    });
    const answer = parseAnswer(response.body);
    const token = (answer?.Ok as { token?: unknown } | undefined)?.token;
    if (response.status !== 200 || typeof token !== 'string' || token.length === 0) {
      const reason = typeof answer?.Error === 'string' ? answer.Error.slice(0, 200) : `HTTP ${response.status}`;
      throw new Error(`gateway login to ${this.options.hostname} failed (${reason}); check GATEWAY_HOSTNAME, TENANT_ID and the API key`);
    }
    this.logins++;
    this.token = token;
    this.tokenAt = Date.now();
    return token;
  }

  private async send(events: readonly DeliveryEvent[], token: string) {
    const body = `{"command":"ingest","token":${JSON.stringify(token)},"customer_name":${JSON.stringify(this.options.tenantId)},"events":[${events.map((event) => event.json).join(',')}]}`;
    const response = await httpsPost({ url: this.url('/events'), body, ca: this.options.ca, timeoutMs: this.options.timeoutMs });
    return { status: response.status, answer: parseAnswer(response.body) };
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += this.options.batchSize) {
      const batch = events.slice(start, start + this.options.batchSize);
      try {
        if (!this.token || Date.now() - this.tokenAt > this.options.tokenTtlMs) await this.login();
        let result = await this.send(batch, this.token!);
        if (isTokenRejection(result.status, result.answer)) {
          this.token = undefined;
          result = await this.send(batch, await this.login());
        }
        if (result.status !== 200 || result.answer?.Error !== undefined) {
          const reason = typeof result.answer?.Error === 'string' ? result.answer.Error.slice(0, 200) : `HTTP ${result.status}`;
          throw new Error(`gateway ${this.options.hostname} refused ${batch.length} events (${reason})`);
        }
      } catch (error) {
        throw new PartialDeliveryError((error as Error).message, start);
      }
    }
  }

  async close(): Promise<void> {}
}
