import { createHmac } from 'node:crypto';
import { eventClasses, severityRank, type RoutableEvent, type SeverityName } from '../events';
import { httpsPost } from './https-post';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from './sink';

export interface WebhookSinkOptions {
  readonly url: URL;
  /** HMAC-SHA256 key for the X-TxPrevent-Signature header. */
  readonly secret: Buffer;
  /** Event types sent (msg_type values). */
  readonly eventTypes: readonly string[];
  /** Findings below this severity are not sent (events without severity are not filtered by it). */
  readonly minSeverity: SeverityName;
  /** Finding classes / attack classifications sent; empty: all. */
  readonly classes: readonly string[];
  readonly ca?: string;
  readonly timeoutMs: number;
  /** Called when the receiver permanently refuses an event (4xx other than 408/429): it is skipped. */
  readonly onRejected?: (status: number) => void;
}

/** Headers that sign `body` at `timestamp` (unix seconds): the receiver recomputes the HMAC over "<timestamp>.<body>". */
export function webhookSignatureHeaders(secret: Buffer, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-txprevent-timestamp': String(timestamp), 'x-txprevent-signature': `sha256=${signature}` };
}

/**
 * HTTPS POST of each event (one JSON event per request, like seed 000's notification webhooks),
 * signed with HMAC-SHA256, filtered by event type, severity and class.
 */
export class WebhookSink implements Sink {
  readonly name = 'webhook';
  private readonly classes: Set<string>;
  private readonly types: Set<string>;
  rejected = 0;

  constructor(private readonly options: WebhookSinkOptions) {
    this.classes = new Set(options.classes);
    this.types = new Set(options.eventTypes);
  }

  accepts(event: RoutableEvent): boolean {
    if (!this.types.has(event.msg_type)) return false;
    if (event.severity !== undefined && severityRank(event.severity) < severityRank(this.options.minSeverity)) return false;
    if (this.classes.size > 0 && event.msg_type !== 'ScanVerdict' && !eventClasses(event).some((name) => this.classes.has(name))) return false;
    return true;
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    for (let index = 0; index < events.length; index++) {
      const body = events[index]!.json;
      let status: number;
      try {
        ({ status } = await httpsPost({
          url: this.options.url,
          body,
          headers: { 'user-agent': 'tx-prevent-analyzer', ...webhookSignatureHeaders(this.options.secret, body, Math.floor(Date.now() / 1000)) },
          ca: this.options.ca,
          timeoutMs: this.options.timeoutMs,
        }));
      } catch (error) {
        throw new PartialDeliveryError(`webhook ${this.options.url.host}: ${(error as Error).message}`, index);
      }
      if (status >= 200 && status < 300) continue;
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        // The receiver will never take this event: retrying would block every later one.
        this.rejected++;
        this.options.onRejected?.(status);
        continue;
      }
      throw new PartialDeliveryError(`webhook ${this.options.url.host} answered HTTP ${status}`, index);
    }
  }

  async close(): Promise<void> {}
}
