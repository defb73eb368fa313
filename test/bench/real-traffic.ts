/**
 * The real traffic mix for the analyzer's benchmarks: the recorded browser requests of
 * ../shared/corpora's benign-dev in their recorded order, with attacks-dev's attack requests
 * interleaved at a fixed share (3 % by default), each answered by a realistic response
 * (./response-generator). Each recorded site is its own host (`<site>.example`); an attack goes
 * to the host of the request before it, as an attacker probes a site among its real users.
 */
import type { HttpExchange__Output } from '@/runtime/proto';
import { ResponseBodyPolicy } from '@/sensor/http';
import { corpusExchange, readCorpus, type CorpusRecord } from './corpora';
import { realisticResponse, SENSOR_BODY_CAPTURE } from './response-generator';

export interface RealMixOptions {
  /** Share of attack requests in the mix. @default 0.03 */
  readonly attackShare?: number;
  /** Most exchanges returned (from the start of the mix). @default all */
  readonly limit?: number;
  /** The sensor's response-body capture policy; null captures every body up to the cap. @default the sensor's default */
  readonly policy?: ResponseBodyPolicy | null;
}

/** The records of the mix in order, each with the host it is sent to. */
export function realMixRecords(options: RealMixOptions = {}): Array<{ record: CorpusRecord; host: string }> {
  const share = options.attackShare ?? 0.03;
  if (!(share >= 0 && share < 1)) throw new Error(`attackShare must be in [0, 1), got ${share}`);
  const benign = readCorpus('benign-dev');
  const attacks = readCorpus('attacks-dev');
  const out: Array<{ record: CorpusRecord; host: string }> = [];
  let host = 'app.example.com';
  let attackIndex = 0;
  let owed = 0;
  for (const record of benign) {
    if (record.site)
      host = `${record.site
        .replace(/^browsing_\d+_/, '')
        .replace(/[^a-z0-9-]/gi, '-')
        .toLowerCase()}.example`;
    out.push({ record, host });
    // attacks / (benign + attacks) = share
    owed += share / (1 - share);
    while (owed >= 1 && attacks.length > 0) {
      out.push({ record: attacks[attackIndex++ % attacks.length]!, host });
      owed -= 1;
    }
    if (options.limit !== undefined && out.length >= options.limit) break;
  }
  return options.limit === undefined ? out : out.slice(0, options.limit);
}

/** The sensor's default response-body capture policy (RESPONSE_BODY_SKIP_TYPES). */
const SENSOR_POLICY = new ResponseBodyPolicy();

/**
 * One mix entry as the sensor would deliver it, with its response: cut at the body cap and by the
 * sensor's own capture policy (images, fonts and media sent as their signature), unless `policy`
 * is null (every body up to the cap, as before the policy).
 */
export function realExchange(record: CorpusRecord, host: string, policy: ResponseBodyPolicy | null = SENSOR_POLICY): HttpExchange__Output {
  const response = realisticResponse(record, record.id);
  const exchange = corpusExchange(record, response, host);
  const body = exchange.response!.body!;
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const keep = policy ? policy.captureBytes(contentType, SENSOR_BODY_CAPTURE) : SENSOR_BODY_CAPTURE;
  if (body.data.length > keep) body.data = body.data.subarray(0, keep);
  body.wire_length = response.wireLength;
  body.truncated = response.wireLength > body.data.length;
  return exchange;
}

/** The real mix as exchanges. */
export function realTrafficMix(options: RealMixOptions = {}): HttpExchange__Output[] {
  return realMixRecords(options).map(({ record, host }) => realExchange(record, host, options.policy === undefined ? SENSOR_POLICY : options.policy));
}
