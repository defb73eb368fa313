/**
 * What an endpoint answers to ordinary (non-attack) requests, learned per method, host and
 * templated endpoint: counts per status class, the largest successful answer, and from its first
 * ordinary answers the rows they list and the file and error signatures they show. Attack
 * outcomes are judged against it: a login that refuses ordinary failures with 4xx and answers an
 * injection with 2xx has been bypassed; a database error that ordinary answers never show was
 * caused by the injection.
 */
import type { ResponseView } from '../message-view';
import { responseRows } from './response-rows';
import { signatureKinds } from './outcome-signatures';
import { BodyText } from '../text-index';

/** Ordinary answers per endpoint whose rows and signatures are read; later ones only count. */
export const SAMPLED_ANSWERS = 16;
/** Distinct row shapes kept per endpoint; an endpoint with more lists free-form rows. */
export const MAX_ROW_SHAPES = 32;

export interface EndpointBaseline {
  /** Ordinary requests seen, by status class (index 2 = 2xx ... 5 = 5xx). */
  readonly byClass: number[];
  /** Ordinary answers whose rows and signatures were read. */
  sampled: number;
  /** Largest body (wire length) of an ordinary 2xx answer. */
  maxOkBytes: number;
  /** Most rows an ordinary sampled 2xx answer listed. */
  maxRows: number;
  /** Fewest rows an ordinary sampled 2xx answer listed (0 when one listed none). */
  minRows: number;
  /** Ordinary sampled 2xx answers. */
  sampledOk: number;
  /** Longest time an ordinary request took to be answered, in ms (-1: unknown). */
  maxUpstreamMs: number;
  /** Row shapes of ordinary sampled answers (bounded by MAX_ROW_SHAPES). */
  readonly rowShapes: Set<string>;
  /** More than MAX_ROW_SHAPES shapes were seen: the rows are free-form, shapes tell nothing. */
  shapesOverflow: boolean;
  /** File and error signature kinds ordinary sampled answers showed. */
  readonly signatures: Set<string>;
}

export class EndpointBaselines {
  private readonly baselines = new Map<string, EndpointBaseline>();

  constructor(private readonly max: number) {}

  static key(method: string, host: string, endpoint: string): string {
    return `${method}\u0000${host}\u0000${endpoint}`;
  }

  /** @param body the response body's text (shared with the rest of the response analysis) */
  learn(key: string, response: ResponseView, upstreamMs: number | null, body: BodyText = new BodyText(response.body)): void {
    let baseline = this.baselines.get(key);
    if (!baseline) {
      if (this.baselines.size >= this.max) {
        const oldest = this.baselines.keys().next().value;
        if (oldest !== undefined) this.baselines.delete(oldest);
      }
      baseline = {
        byClass: [0, 0, 0, 0, 0, 0],
        sampled: 0,
        maxOkBytes: 0,
        maxRows: 0,
        minRows: Number.MAX_SAFE_INTEGER,
        sampledOk: 0,
        maxUpstreamMs: -1,
        rowShapes: new Set(),
        shapesOverflow: false,
        signatures: new Set(),
      };
      this.baselines.set(key, baseline);
    }
    const cls = Math.floor(response.status / 100);
    if (cls >= 1 && cls <= 5) baseline.byClass[cls]++;
    const ok = cls === 2;
    if (ok) baseline.maxOkBytes = Math.max(baseline.maxOkBytes, response.body.wireLength);
    if (upstreamMs !== null) baseline.maxUpstreamMs = Math.max(baseline.maxUpstreamMs, upstreamMs);
    if (baseline.sampled >= SAMPLED_ANSWERS || body.empty) return;
    baseline.sampled++;
    for (const kind of signatureKinds(body)) baseline.signatures.add(kind);
    if (!ok) return;
    baseline.sampledOk++;
    const rows = responseRows(response, body);
    baseline.minRows = Math.min(baseline.minRows, rows?.count ?? 0);
    if (!rows) return;
    baseline.maxRows = Math.max(baseline.maxRows, rows.count);
    for (const shape of rows.shapes) {
      if (baseline.rowShapes.has(shape)) continue;
      if (baseline.rowShapes.size >= MAX_ROW_SHAPES) {
        baseline.shapesOverflow = true;
        break;
      }
      baseline.rowShapes.add(shape);
    }
  }

  get(key: string): EndpointBaseline | undefined {
    return this.baselines.get(key);
  }
}
