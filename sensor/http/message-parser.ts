/**
 * Incremental HTTP/1.x message parser for one direction of a connection. Bytes, capture gaps and
 * the end of the stream go in; complete messages come out. Framing follows RFC 9112: chunked
 * (with trailers) beats Content-Length; responses to HEAD, 1xx, 204 and 304 have no body; a
 * response without length is close-delimited. After an unrecoverable error or a gap inside framing
 * the parser loses sync and looks for the next message start at the next segment.
 */
import type { Body, Header } from '../../runtime/proto';
import { contentEncodings } from '../../runtime/content-decoding';
import { isMultipartType, multipartBoundary } from '../../runtime/multipart';
import { BodyCollector } from './body';
import { contentTypeOf, skippedBodyBytes, type ResponseBodyPolicy } from './capture-policy';
import { HeadError, looksLikeRequestStart, looksLikeResponseStart, parseHead, type MessageHead } from './head';

export type Role = 'request' | 'response';

export interface ParsedMessage {
  readonly head: MessageHead;
  readonly body: Body;
  readonly trailers: Header[];
  readonly startUs: number;
  readonly endUs: number;
  /** The message ended before its framing said it would (gap or end of stream). */
  readonly incomplete: boolean;
}

export interface ParserLimits {
  /** Largest message head (start line + fields). */
  readonly maxHeadBytes: number;
  /** Body bytes kept per message (the capture cap). */
  readonly maxBodyBytes: number;
  /** Response bodies kept only as their signature (RESPONSE_BODY_SKIP_TYPES). @default none: every body up to the cap */
  readonly responseBodies?: ResponseBodyPolicy;
}

export interface MessageSink {
  /** A head was parsed (the message body may follow). */
  head(role: Role, head: MessageHead, startUs: number): void;
  message(role: Role, message: ParsedMessage): void;
  /** Sync was lost; `reason` is for counters. */
  desync(role: Role, reason: string): void;
  /** For responses (after `head`): the method of the request the response answers, if known. */
  requestMethod(): string | undefined;
}

const enum State {
  Seek,
  Head,
  LengthBody,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  CloseBody,
  Tunnel,
}

const LF_CRLF = Buffer.from('\n\r\n');
const LF_LF = Buffer.from('\n\n');
const LF = 0x0a;
const MAX_CHUNK_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
/** Unsynchronised bytes inspected before the stream is declared not HTTP. */
const MAX_SEEK_BYTES = 256 * 1024;

/** The boundary of an uncompressed multipart request body, whose file contents are condensed. */
function condensedBoundary(contentType: string, head: MessageHead): string | undefined {
  if (contentEncodings(head.contentEncoding).length > 0 || !isMultipartType(contentType)) return undefined;
  return multipartBoundary(contentType);
}

/**
 * Index just past the blank line that ends a head whose bytes are searched from `from`, or -1.
 * Lines may end in a bare LF: RFC 9112 (section 2.2) lets a server accept one, and nginx, Go, Tomcat
 * and IIS do, so a request whose head a bare LF ends reaches the application and must be read.
 */
function headEnd(buf: Buffer, from: number): number {
  const crlf = buf.indexOf(LF_CRLF, from);
  // A bare "\n\n" before the first "\n\r\n" ends the head earlier; only the head's bytes are searched for it.
  const bare = (crlf < 0 ? buf.subarray(from) : buf.subarray(from, crlf + 1)).indexOf(LF_LF);
  if (bare >= 0) return from + bare + 2;
  return crlf < 0 ? -1 : crlf + 3;
}

export class HttpMessageParser {
  private state: State;
  private headAcc: Buffer | undefined;
  private lineAcc: Buffer | undefined;
  private trailerBytes = 0;
  private remaining = 0;
  private current: MessageHead | undefined;
  private body: BodyCollector | undefined;
  private trailers: Header[] = [];
  private startUs = 0;
  private tunnelAfterMessage = false;
  private seekBytes = 0;
  /** True once the stream has given up: too much data without a recognisable message. */
  notHttp = false;
  /** Messages completed so far. */
  messages = 0;

  constructor(
    private readonly role: Role,
    private readonly limits: ParserLimits,
    private readonly sink: MessageSink,
    synced: boolean,
  ) {
    this.state = synced ? State.Head : State.Seek;
  }

  /** Bytes after the current message are not HTTP (101 Switching Protocols, CONNECT tunnel). */
  tunnel(): void {
    if (this.state === State.Head && !this.headAcc) this.state = State.Tunnel;
    else this.tunnelAfterMessage = true;
  }

  get inTunnel(): boolean {
    return this.state === State.Tunnel;
  }

  push(buf: Buffer, ts: number): void {
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      switch (this.state) {
        case State.Tunnel:
          return;
        case State.Seek: {
          const found = this.role === 'request' ? looksLikeRequestStart(buf, pos) : looksLikeResponseStart(buf, pos);
          if (!found) {
            this.seekBytes += len - pos;
            if (this.seekBytes > MAX_SEEK_BYTES) this.notHttp = true;
            return;
          }
          this.seekBytes = 0;
          this.state = State.Head;
          break;
        }
        case State.Head:
          pos = this.readHead(buf, pos, ts);
          break;
        case State.LengthBody: {
          const take = Math.min(this.remaining, len - pos);
          this.body!.add(buf, pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.complete(ts, false);
          break;
        }
        case State.CloseBody:
          this.body!.add(buf, pos, len);
          return;
        case State.ChunkSize:
          pos = this.readChunkSize(buf, pos, ts);
          break;
        case State.ChunkData: {
          const take = Math.min(this.remaining, len - pos);
          this.body!.add(buf, pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd:
          pos = this.readChunkDataEnd(buf, pos, ts);
          break;
        case State.Trailers:
          pos = this.readTrailers(buf, pos, ts);
          break;
      }
    }
  }

  /** `bytes` of this direction were lost by the capture. */
  gap(bytes: number, ts: number): void {
    switch (this.state) {
      case State.LengthBody:
        if (bytes < this.remaining) {
          this.body!.addGap(bytes);
          this.remaining -= bytes;
          return;
        }
        this.body!.addGap(this.remaining);
        this.complete(ts, true);
        // The rest of the gap swallowed the start of whatever came next.
        if (bytes > this.remaining) this.loseSync('gap');
        return;
      case State.ChunkData:
        if (bytes < this.remaining) {
          this.body!.addGap(bytes);
          this.remaining -= bytes;
          return;
        }
        this.body!.addGap(this.remaining);
        this.complete(ts, true);
        this.loseSync('gap');
        return;
      case State.CloseBody:
        this.body!.addGap(bytes);
        return;
      case State.Tunnel:
        return;
      case State.Seek:
        // Still unsynchronised: whatever the gap held is unknown too.
        this.sink.desync(this.role, 'gap');
        return;
      default:
        if (this.current) this.complete(ts, true);
        this.loseSync('gap');
    }
  }

  /** This direction's stream ended (FIN, RST, timeout). */
  end(ts: number): void {
    if (this.state === State.CloseBody) {
      this.complete(ts, false);
    } else if (this.current) {
      this.complete(ts, true);
    } else if (this.headAcc) {
      this.sink.desync(this.role, 'incomplete_head');
    }
    this.headAcc = undefined;
    this.state = State.Tunnel;
  }

  /** True while a message is partially read. */
  get midMessage(): boolean {
    return this.current !== undefined || this.headAcc !== undefined;
  }

  private loseSync(reason: string): void {
    this.current = undefined;
    this.body = undefined;
    this.headAcc = undefined;
    this.lineAcc = undefined;
    if (this.state !== State.Tunnel) this.state = State.Seek;
    this.sink.desync(this.role, reason);
  }

  private readHead(buf: Buffer, start: number, ts: number): number {
    let pos = start;
    if (!this.headAcc) {
      // Tolerate blank lines between messages (RFC 9112 section 2.2).
      while (pos < buf.length && (buf[pos] === 0x0d || buf[pos] === LF)) pos++;
      if (pos === buf.length) return pos;
      this.startUs = ts;
      const end = headEnd(buf, pos);
      if (end >= 0 && end - pos <= this.limits.maxHeadBytes) {
        this.onHead(buf, pos, end, ts);
        return end;
      }
      if (end >= 0 || buf.length - pos > this.limits.maxHeadBytes) {
        this.loseSync('head_too_large');
        return buf.length;
      }
      this.headAcc = Buffer.from(buf.subarray(pos));
      return buf.length;
    }
    const prev = this.headAcc.length;
    const joined = Buffer.concat([this.headAcc, buf.subarray(pos, Math.min(buf.length, pos + this.limits.maxHeadBytes))]);
    const end = headEnd(joined, Math.max(0, prev - 2));
    if (end < 0) {
      if (joined.length > this.limits.maxHeadBytes) {
        this.loseSync('head_too_large');
        return buf.length;
      }
      this.headAcc = joined;
      return buf.length;
    }
    this.headAcc = undefined;
    this.onHead(joined, 0, end, ts);
    return pos + end - prev;
  }

  private onHead(buf: Buffer, start: number, end: number, ts: number): void {
    let head: MessageHead;
    try {
      head = parseHead(buf, start, end, this.role);
    } catch (error) {
      if (!(error instanceof HeadError)) throw error;
      this.loseSync('malformed_head');
      return;
    }
    this.current = head;
    this.trailers = [];
    const policy = this.role === 'response' ? this.limits.responseBodies : undefined;
    const contentType = contentTypeOf(head.headers);
    this.body = policy?.skips(contentType)
      ? new BodyCollector(skippedBodyBytes(this.limits.maxBodyBytes), true)
      : new BodyCollector(this.limits.maxBodyBytes, false, this.role === 'request' ? condensedBoundary(contentType, head) : undefined);
    this.sink.head(this.role, head, this.startUs);
    if (this.role === 'request') {
      if (head.chunked) this.beginChunked();
      else if (head.otherTransferEncoding) this.loseSync('unframed_request');
      else if (head.contentLength > 0) this.beginLength(head.contentLength);
      else this.complete(ts, false);
      return;
    }
    const method = this.sink.requestMethod();
    const status = head.status;
    if (status < 200 || status === 204 || status === 304 || method === 'HEAD') {
      if (status === 101) this.tunnelAfterMessage = true;
      this.complete(ts, false);
    } else if (method === 'CONNECT' && status < 300) {
      this.tunnelAfterMessage = true;
      this.complete(ts, false);
    } else if (head.chunked) this.beginChunked();
    else if (head.contentLength >= 0 && !head.otherTransferEncoding) {
      if (head.contentLength === 0) this.complete(ts, false);
      else this.beginLength(head.contentLength);
    } else this.state = State.CloseBody;
  }

  private beginLength(length: number): void {
    this.remaining = length;
    this.state = State.LengthBody;
  }

  private beginChunked(): void {
    this.state = State.ChunkSize;
    this.lineAcc = undefined;
  }

  /** Reads up to the next LF into a line; returns [line or undefined, new position]. */
  private readLine(buf: Buffer, pos: number, max: number): [Buffer | undefined, number] {
    const lf = buf.indexOf(LF, pos);
    if (lf < 0) {
      const part = buf.subarray(pos);
      this.lineAcc = this.lineAcc ? Buffer.concat([this.lineAcc, part]) : Buffer.from(part);
      if (this.lineAcc.length > max) {
        this.lineAcc = undefined;
        return [Buffer.alloc(max + 1), buf.length];
      }
      return [undefined, buf.length];
    }
    let line = buf.subarray(pos, lf);
    if (this.lineAcc) {
      line = Buffer.concat([this.lineAcc, line]);
      this.lineAcc = undefined;
    }
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    return [line, lf + 1];
  }

  private readChunkSize(buf: Buffer, pos: number, ts: number): number {
    const [line, next] = this.readLine(buf, pos, MAX_CHUNK_LINE);
    if (!line) return next;
    let size = 0;
    let digits = 0;
    for (; digits < line.length; digits++) {
      const c = line[digits];
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (v < 0) break;
      size = size * 16 + v;
    }
    const rest = line[digits];
    if (digits === 0 || digits > 12 || line.length > MAX_CHUNK_LINE || (rest !== undefined && rest !== 0x3b && rest !== 0x20 && rest !== 0x09)) {
      this.body!.markIncomplete();
      this.complete(ts, true);
      this.loseSync('bad_chunk_size');
      return next;
    }
    if (size === 0) {
      this.state = State.Trailers;
      this.trailerBytes = 0;
    } else {
      this.remaining = size;
      this.state = State.ChunkData;
    }
    return next;
  }

  private readChunkDataEnd(buf: Buffer, pos: number, ts: number): number {
    const [line, next] = this.readLine(buf, pos, 2);
    if (!line) return next;
    if (line.length !== 0) {
      this.complete(ts, true);
      this.loseSync('bad_chunk_end');
      return next;
    }
    this.state = State.ChunkSize;
    return next;
  }

  private readTrailers(buf: Buffer, pos: number, ts: number): number {
    const [line, next] = this.readLine(buf, pos, MAX_TRAILER_BYTES);
    if (!line) return next;
    this.trailerBytes += line.length + 2;
    if (this.trailerBytes > MAX_TRAILER_BYTES) {
      this.complete(ts, true);
      this.loseSync('trailers_too_large');
      return next;
    }
    if (line.length === 0) {
      this.complete(ts, false);
      return next;
    }
    const colon = line.indexOf(0x3a);
    if (colon > 0) {
      let vs = colon + 1;
      while (vs < line.length && (line[vs] === 0x20 || line[vs] === 0x09)) vs++;
      this.trailers.push({ name: line.toString('latin1', 0, colon), value: line.toString('latin1', vs).trimEnd() });
    }
    return next;
  }

  private complete(ts: number, incomplete: boolean): void {
    const head = this.current;
    const body = this.body;
    if (!head || !body) return;
    if (incomplete) body.markIncomplete();
    this.current = undefined;
    this.body = undefined;
    this.messages++;
    this.state = this.tunnelAfterMessage ? State.Tunnel : State.Head;
    this.sink.message(this.role, {
      head,
      body: body.finish(head.contentEncoding),
      trailers: this.trailers,
      startUs: this.startUs,
      endUs: ts,
      incomplete,
    });
  }
}
