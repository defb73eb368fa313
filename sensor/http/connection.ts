/**
 * One TCP connection seen as HTTP/1.x: decides which side is the client, runs a message parser per
 * direction and pairs requests with responses in order (keep-alive and pipelining), emitting each
 * exchange once its request and response are complete — or when the connection ends without one.
 */
import type { HttpExchange, HttpRequest, HttpResponse } from '../../runtime/proto';
import type { CloseReason, Direction, TcpConnectionInfo, TcpStreamHandler } from '../tcp';
import { looksLikeRequestStart, looksLikeResponseStart, type MessageHead } from './head';
import { HttpMessageParser, type MessageSink, type ParsedMessage, type ParserLimits, type Role } from './message-parser';

/** Why a connection is not parsed as HTTP/1.x. */
export type SkipKind = 'tls' | 'http2' | 'not_http' | 'sampled_out';

export interface HttpCounters {
  exchanges: number;
  requestsWithoutResponse: number;
  orphanResponses: number;
  truncatedBodies: number;
  parseErrors: number;
  tlsFlows: number;
  http2Flows: number;
  nonHttpFlows: number;
  sampledOutFlows: number;
  /** Connections dropped for pipelining deeper than the sensor holds. */
  pipelineOverflows: number;
}

export function emptyHttpCounters(): HttpCounters {
  return {
    exchanges: 0,
    requestsWithoutResponse: 0,
    orphanResponses: 0,
    truncatedBodies: 0,
    parseErrors: 0,
    tlsFlows: 0,
    http2Flows: 0,
    nonHttpFlows: 0,
    sampledOutFlows: 0,
    pipelineOverflows: 0,
  };
}

/** An exchange as produced by the decoder; the agent adds id and tags. */
export type DecodedExchange = Omit<HttpExchange, 'id' | 'tags'>;

export interface HttpConnectionOptions extends ParserLimits {
  readonly counters: HttpCounters;
  readonly emit: (exchange: DecodedExchange) => void;
}

interface Pending {
  request: HttpRequest;
  requestHead: MessageHead;
  requestDone: boolean;
  requestStartUs: number;
  requestEndUs: number;
  interim: number[];
  response?: HttpResponse;
  responseStartUs: number;
  responseEndUs: number;
  index: number;
  /** Its response was lost in a capture gap. */
  noResponse?: boolean;
  /** Offset in the client's stream by which the request had ended (end of the segment holding its end). */
  requestEndOffset: number;
}

/** Request-side capture gaps remembered per connection. */
const MAX_TRACKED_GAPS = 32;
/** Requests waiting for their responses on one connection, at most. */
const MAX_PENDING_REQUESTS = 256;
/** Bytes of a connection picked up mid-stream inspected before it is declared not HTTP. */
const MAX_UNSYNCED_BYTES = 256 * 1024;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

function isTlsRecord(buf: Buffer): boolean {
  // Handshake record (0x16), SSL 3.0 .. TLS 1.3 record versions.
  return buf.length >= 3 && buf[0] === 0x16 && buf[1] === 0x03 && buf[2] <= 0x04;
}

export class HttpConnection implements TcpStreamHandler, MessageSink {
  ignored = false;
  private clientDir: Direction | undefined;
  private request: HttpMessageParser | undefined;
  private response: HttpMessageParser | undefined;
  private readonly queue: Pending[] = [];
  /** Index into `queue` of the request the next response answers. */
  private answering = 0;
  private nextIndex = 0;
  private sniffed = false;
  /** Bytes (delivered or lost) so far per direction: positions in each stream. */
  private readonly offset: [number, number] = [0, 0];
  /** Stream offsets where the capture lost bytes, per direction (most recent last, bounded). */
  private readonly gapsAt: [number[], number[]] = [[], []];
  /** Client bytes the server had acknowledged when it sent the segment being parsed (-1: unknown). */
  private serverAcked = -1;
  /** Server bytes were lost since the last response was paired: responses may be missing. */
  private responsesMayBeLost = false;
  /** The request the response being parsed answers (null: an orphan). */
  private responseFor: Pending | null = null;
  /** Stream offset just past the chunk being parsed. */
  private chunkEnd = 0;
  private unsyncedBytes = 0;
  private readonly connectionId: string;

  constructor(
    private readonly info: TcpConnectionInfo,
    private readonly options: HttpConnectionOptions,
  ) {
    this.connectionId = String(info.id);
    if (info.initiator !== undefined) this.setClient(info.initiator, true);
  }

  /** Marks a connection skipped before any data (sampling). */
  skip(kind: SkipKind): void {
    this.ignore(kind);
  }

  data(dir: Direction, data: Buffer, ts: number, peerAcked: number): void {
    if (!this.sniffed && !this.sniff(dir, data)) {
      this.offset[dir] += data.length;
      return;
    }
    const isRequest = dir === this.clientDir;
    if (!isRequest) this.serverAcked = peerAcked;
    this.chunkEnd = this.offset[dir] + data.length;
    (isRequest ? this.request! : this.response!).push(data, ts);
    this.offset[dir] += data.length;
    if ((this.request!.notHttp || this.response!.notHttp) && this.nextIndex === 0) this.ignore('not_http');
  }

  gap(dir: Direction, bytes: number, ts: number): void {
    const at = this.offset[dir];
    this.offset[dir] += bytes;
    // Recorded for both directions: before the first message, which side is the client may not be known yet.
    const gaps = this.gapsAt[dir];
    gaps.push(at);
    if (gaps.length > MAX_TRACKED_GAPS) gaps.shift();
    if (dir !== this.clientDir) this.responsesMayBeLost = true;
    if (!this.sniffed) return;
    // A message the gap completes ends after the gap.
    this.chunkEnd = at + bytes;
    (dir === this.clientDir ? this.request! : this.response!).gap(bytes, ts);
  }

  end(dir: Direction, ts: number): void {
    if (!this.sniffed || this.ignored) return;
    (dir === this.clientDir ? this.request! : this.response!).end(ts);
    this.flush(false);
  }

  close(_reason: CloseReason, ts: number): void {
    if (!this.sniffed || this.ignored) return;
    this.request!.end(ts);
    this.response!.end(ts);
    this.flush(true);
  }

  // MessageSink

  head(role: Role, head: MessageHead, startUs: number): void {
    if (role === 'response') {
      this.responseFor = this.answerFor(startUs) ?? null;
      return;
    }
    if (this.queue.length >= MAX_PENDING_REQUESTS) {
      // Far deeper pipelining than any real client uses: stop holding requests for this connection.
      this.options.counters.pipelineOverflows++;
      for (let i = this.answering; i < this.queue.length; i++) this.queue[i].noResponse = true;
      this.answering = this.queue.length;
      this.flush(false);
      this.ignore('not_http');
      return;
    }
    this.queue.push({
      request: { method: head.method, target: head.target, http_version: head.version, headers: head.headers, trailers: [] },
      requestHead: head,
      requestDone: false,
      requestStartUs: startUs,
      requestEndUs: 0,
      interim: [],
      responseStartUs: 0,
      responseEndUs: 0,
      index: this.nextIndex++,
      requestEndOffset: Number.POSITIVE_INFINITY,
    });
  }

  message(role: Role, message: ParsedMessage): void {
    if (message.body.truncated) this.options.counters.truncatedBodies++;
    if (role === 'request') {
      const pending = this.queue.find((p) => !p.requestDone);
      if (!pending) return;
      pending.request.body = message.body;
      pending.request.trailers = message.trailers;
      pending.requestDone = true;
      pending.requestEndUs = message.endUs;
      pending.requestEndOffset = this.chunkEnd;
    } else {
      const pending = this.responseFor;
      if (!pending || this.queue[this.answering] !== pending) {
        this.options.counters.orphanResponses++;
        return;
      }
      const head = message.head;
      if (head.status >= 100 && head.status < 200 && head.status !== 101) {
        pending.interim.push(head.status);
        return;
      }
      if (pending.responseStartUs === 0) pending.responseStartUs = message.startUs;
      pending.responseEndUs = message.endUs;
      pending.response = {
        status: head.status,
        reason: head.reason,
        http_version: head.version,
        headers: head.headers,
        body: message.body,
        trailers: message.trailers,
        interim_statuses: pending.interim,
      };
      this.answering++;
      this.responsesMayBeLost = false;
      if (head.status === 101 || (pending.request.method === 'CONNECT' && head.status < 300)) this.request!.tunnel();
    }
    this.flush(false);
  }

  desync(role: Role, reason: string): void {
    this.options.counters.parseErrors++;
    if (role === 'response' && reason !== 'incomplete_head') {
      // Responses were lost (in a gap, or garbled by one), and how many is unknown: rather than
      // pair later responses with the wrong requests, every request waiting so far goes out
      // without one.
      for (let i = this.answering; i < this.queue.length; i++) this.queue[i].noResponse = true;
      this.answering = this.queue.length;
      this.flush(false);
    }
  }

  requestMethod(): string | undefined {
    return this.responseFor?.request.method;
  }

  /**
   * The request a response starting at `startUs` answers: the oldest unanswered one, unless that
   * request started after the response did — then the request the response belongs to was lost
   * in a capture gap, and the response is an orphan rather than a wrong pairing.
   */
  private answerFor(startUs: number): Pending | undefined {
    // The server acknowledged client bytes up to `serverAcked` before sending this response; if
    // request bytes were lost after the oldest waiting request ended and before that point, the
    // response may answer a request the capture never saw. Then every request that ended before
    // the loss had its response lost too (responses come in order), and this one is an orphan.
    const acked = this.serverAcked;
    const requestGaps = this.gapsAt[this.clientDir ?? 0];
    let lost = -1;
    for (let i = requestGaps.length - 1; i >= 0; i--) {
      if (requestGaps[i] < acked) {
        lost = requestGaps[i];
        break;
      }
    }
    const first = this.queue[this.answering];
    if (this.responsesMayBeLost && acked >= 0 && first) {
      // Responses were lost: this one answers one of the requests the server had fully received
      // (ended at or before `acked`). With one candidate it is that one; with several it cannot
      // be told which, so none is paired.
      let candidates = 0;
      for (let i = this.answering; i < this.queue.length; i++) if (this.queue[i].requestDone && this.queue[i].requestEndOffset <= acked) candidates++;
      if (candidates > 1) {
        for (let n = 0; n < candidates; n++) this.queue[this.answering++].noResponse = true;
        this.flush(false);
        return undefined;
      }
    }
    if (lost >= 0 && (!first || first.requestEndOffset <= lost)) {
      while (this.answering < this.queue.length && this.queue[this.answering].requestEndOffset <= lost) {
        this.queue[this.answering].noResponse = true;
        this.answering++;
      }
      this.flush(false);
      return undefined;
    }
    return first && first.requestStartUs <= startUs ? first : undefined;
  }

  private setClient(dir: Direction, fromHandshake: boolean): void {
    this.clientDir = dir;
    this.request = new HttpMessageParser('request', this.options, this, fromHandshake);
    this.response = new HttpMessageParser('response', this.options, this, fromHandshake);
  }

  /**
   * Looks at the first bytes of the connection: TLS, HTTP/2 and other protocols are skipped for
   * good; without a handshake the first message start decides which side is the client.
   * Returns true when parsing can start.
   */
  private sniff(dir: Direction, data: Buffer): boolean {
    if (isTlsRecord(data)) return this.ignore('tls');
    if (data.length >= H2_PREFACE.length && data.subarray(0, H2_PREFACE.length).equals(H2_PREFACE)) return this.ignore('http2');
    if (this.clientDir !== undefined) {
      if (dir !== this.clientDir || !looksLikeRequestStart(data, 0)) return this.ignore('not_http');
    } else if (looksLikeRequestStart(data, 0)) this.setClient(dir, false);
    else if (looksLikeResponseStart(data, 0)) this.setClient((1 - dir) as Direction, false);
    else {
      // Mid-stream pick-up: wait for a segment that starts a message, but not forever.
      this.unsyncedBytes += data.length;
      if (this.unsyncedBytes > MAX_UNSYNCED_BYTES) this.ignore('not_http');
      return false;
    }
    this.sniffed = true;
    return true;
  }

  private ignore(kind: SkipKind): false {
    if (this.ignored) return false;
    this.ignored = true;
    const c = this.options.counters;
    if (kind === 'tls') c.tlsFlows++;
    else if (kind === 'http2') c.http2Flows++;
    else if (kind === 'sampled_out') c.sampledOutFlows++;
    else c.nonHttpFlows++;
    return false;
  }

  /** Emits exchanges from the front of the queue while they are finished (all of them at close). */
  private flush(closing: boolean): void {
    const q = this.queue;
    while (q.length > 0) {
      const p = q[0];
      if (!closing && !(p.requestDone && (p.response || p.noResponse))) break;
      q.shift();
      if (this.answering > 0) this.answering--;
      this.emit(p);
    }
  }

  private emit(p: Pending): void {
    const info = this.info;
    const clientIsA = this.clientDir === 0;
    const client = clientIsA ? info.a : info.b;
    const server = clientIsA ? info.b : info.a;
    if (!p.requestDone) {
      p.request.body = { data: Buffer.alloc(0), truncated: true, wire_length: 0, content_encoding: '', decoded: false, missing_bytes: 0 };
      this.options.counters.truncatedBodies++;
    }
    if (!p.response) this.options.counters.requestsWithoutResponse++;
    this.options.counters.exchanges++;
    this.options.emit({
      client: { ip: client.ip, port: client.port },
      server: { ip: server.ip, port: server.port },
      tls: false,
      request: p.request,
      response: p.response ?? null,
      timing: {
        request_start_us: p.requestStartUs,
        request_end_us: p.requestEndUs,
        response_start_us: p.responseStartUs,
        response_end_us: p.responseEndUs,
      },
      connection_index: p.index,
      connection_id: this.connectionId,
    });
  }
}
