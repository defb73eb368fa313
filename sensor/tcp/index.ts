/**
 * TCP flow table and per-direction stream reassembly.
 *
 * Each direction delivers its bytes in sequence order to a handler, exactly once: retransmitted and
 * overlapping bytes are trimmed, out-of-order segments wait (bounded per connection and in total),
 * and bytes that never arrive are reported as a gap of N bytes — never invented. A gap is declared
 * when the buffers are full, when the peer acknowledges bytes we never saw (the capture lost them),
 * or when the connection ends. Streams that start without a SYN are picked up mid-stream.
 */
import { formatAddress, type TcpSegment } from '../packet';

export type Direction = 0 | 1;

// TCP flag bits (TcpFlags in ../packet), as literals: tested for every packet.
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
export type CloseReason = 'fin' | 'rst' | 'idle' | 'evicted' | 'end_of_input';

/** Receives one connection's reassembled byte streams. Direction 0 is the side seen first. */
export interface TcpStreamHandler {
  /**
   * In-order bytes of one direction. `peerAcked`: how many bytes of the other direction the
   * sender had acknowledged when it sent them (counted from the start of that stream as seen by
   * the tracker), or -1 when unknown.
   */
  data(dir: Direction, data: Buffer, timestampUs: number, peerAcked: number): void;
  gap(dir: Direction, bytes: number, timestampUs: number): void;
  /** The direction's FIN was reached in sequence. */
  end(dir: Direction, timestampUs: number): void;
  close(reason: CloseReason, timestampUs: number): void;
  /** Set when the handler has no use for more payload (not HTTP, TLS): payloads are then dropped unread. */
  readonly ignored: boolean;
}

export interface TcpEndpoint {
  readonly ip: string;
  readonly port: number;
}

export interface TcpConnectionInfo {
  /** Unique within this tracker's lifetime. */
  readonly id: number;
  /** The side whose packet created the flow (direction 0). */
  readonly a: TcpEndpoint;
  readonly b: TcpEndpoint;
  /** Direction that sent the SYN, when the handshake was seen. */
  readonly initiator: Direction | undefined;
}

export interface TcpTrackerOptions {
  /** Flows tracked at once; the oldest flow is evicted beyond this. */
  readonly maxFlows: number;
  /** Out-of-order bytes held per direction before a gap is declared. */
  readonly maxBufferedBytesPerFlow: number;
  /** Out-of-order bytes held across all flows. */
  readonly maxBufferedBytesTotal: number;
  /** A flow with no packets for this long is closed. */
  readonly idleTimeoutUs: number;
}

export interface TcpCounters {
  flows: number;
  activeFlows: number;
  retransmittedBytes: number;
  outOfOrderSegments: number;
  gaps: number;
  gapBytes: number;
  evictedFlows: number;
  bufferedBytes: number;
}

export type TcpHandlerFactory = (info: TcpConnectionInfo) => TcpStreamHandler;

interface PendingSegment {
  seq: number;
  data: Buffer;
  peerAcked: number;
  /** Capture time of the segment, kept so late delivery does not skew message timing. */
  ts: number;
}

/** Flows looked at to choose one to evict when the table is full. */
const EVICTION_SAMPLE = 64;

/** An endpoint as a flow-table key: a 48-bit number for IPv4, a string for IPv6. */
function endpointKey(address: number | string, port: number): number | string {
  return typeof address === 'number' ? address * 65536 + port : `${address}:${port}`;
}

/** Signed distance from b to a in 32-bit sequence space. */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

class StreamDirection {
  /** Sequence number of the first byte of the stream as tracked (-1: not known yet). */
  base = -1;
  nextSeq = -1;
  finSeq = -1;
  ended = false;
  pending: PendingSegment[] = [];
  pendingBytes = 0;
}

class Connection implements TcpConnectionInfo {
  readonly dirs: [StreamDirection, StreamDirection] = [new StreamDirection(), new StreamDirection()];
  handler!: TcpStreamHandler;
  initiator: Direction | undefined;
  lastSeenUs: number;
  constructor(
    readonly id: number,
    /** Endpoint keys, ordered: where the flow sits in the lookup tables. */
    readonly lo: number | string,
    readonly hi: number | string,
    /** Endpoint key of side a. */
    readonly aEnd: number | string,
    readonly a: TcpEndpoint,
    readonly b: TcpEndpoint,
    now: number,
  ) {
    this.lastSeenUs = now;
  }
}

export class TcpTracker {
  /** Every open flow, oldest first. */
  private readonly flows = new Set<Connection>();
  /** IPv4 flows by their two endpoint numbers (address * 65536 + port): no string per packet. */
  private readonly v4 = new Map<number, Map<number, Connection>>();
  private readonly v6 = new Map<string, Connection>();
  private nextId = 1;
  readonly counters: TcpCounters = {
    flows: 0,
    activeFlows: 0,
    retransmittedBytes: 0,
    outOfOrderSegments: 0,
    gaps: 0,
    gapBytes: 0,
    evictedFlows: 0,
    bufferedBytes: 0,
  };

  constructor(
    private readonly options: TcpTrackerOptions,
    private readonly createHandler: TcpHandlerFactory,
  ) {}

  handle(seg: TcpSegment, timestampUs: number): void {
    const src = endpointKey(seg.srcKey, seg.srcPort);
    const dst = endpointKey(seg.dstKey, seg.dstPort);
    const lo = src < dst ? src : dst;
    const hi = src < dst ? dst : src;
    let conn = this.lookup(lo, hi);
    const flags = seg.flags;
    if (!conn) {
      // Teardown or bare ACKs of a flow we never tracked carry nothing worth a new flow.
      if (flags & RST) return;
      if (seg.payload.length === 0 && !(flags & SYN)) return;
      conn = this.open(lo, hi, src, seg, timestampUs);
    }
    let dir: Direction = src === conn.aEnd ? 0 : 1;
    if ((flags & (SYN | ACK)) === SYN && conn.dirs[dir].nextSeq >= 0 && conn.dirs[dir].nextSeq !== (seg.seq + 1) >>> 0) {
      // A fresh handshake on a reused port pair: the old connection is over.
      this.close(conn, 'fin', timestampUs);
      conn = this.open(lo, hi, src, seg, timestampUs);
      dir = 0;
    }
    conn.lastSeenUs = timestampUs;
    if (conn.handler.ignored) {
      if (flags & (RST | FIN)) this.close(conn, flags & RST ? 'rst' : 'fin', timestampUs);
      return;
    }
    const d = conn.dirs[dir];
    let seq = seg.seq;
    if (flags & SYN) {
      if (!(flags & ACK)) conn.initiator = dir;
      else if (conn.initiator === undefined) conn.initiator = (1 - dir) as Direction;
      if (d.nextSeq < 0 || d.pending.length === 0) d.nextSeq = d.base = (seq + 1) >>> 0;
      seq = (seq + 1) >>> 0;
    }
    let peerAcked = -1;
    if (flags & ACK) {
      const peer = conn.dirs[1 - dir];
      this.checkAcknowledged(conn, (1 - dir) as Direction, seg.ack, timestampUs);
      if (peer.base >= 0) peerAcked = Math.max(0, seqDiff(seg.ack, peer.base));
    }
    if (seg.payload.length > 0) this.receive(conn, dir, seq, seg.payload, timestampUs, peerAcked);
    if (flags & FIN) {
      d.finSeq = (seq + seg.payload.length) >>> 0;
      if (d.nextSeq < 0) d.nextSeq = d.base = d.finSeq;
      this.maybeEnd(conn, dir, timestampUs);
    }
    if (flags & RST) {
      this.close(conn, 'rst', timestampUs);
      return;
    }
    if (conn.dirs[0].ended && conn.dirs[1].ended) this.close(conn, 'fin', timestampUs);
  }

  /** Closes flows idle for longer than the timeout, as of `nowUs`. */
  sweep(nowUs: number): void {
    for (const conn of this.flows.values()) {
      if (nowUs - conn.lastSeenUs > this.options.idleTimeoutUs) this.close(conn, 'idle', nowUs);
    }
  }

  /** Ends every flow (end of a pcap file, shutdown). */
  closeAll(reason: CloseReason, nowUs: number): void {
    for (const conn of [...this.flows.values()]) this.close(conn, reason, Math.max(nowUs, conn.lastSeenUs));
  }

  private lookup(lo: number | string, hi: number | string): Connection | undefined {
    return typeof lo === 'number' ? this.v4.get(lo)?.get(hi as number) : this.v6.get(`${lo}|${hi}`);
  }

  private open(lo: number | string, hi: number | string, aEnd: number | string, seg: TcpSegment, now: number): Connection {
    if (this.flows.size >= this.options.maxFlows) {
      // Approximate LRU: of the oldest-created flows, evict the one quiet the longest, so a busy
      // long-lived keep-alive connection is not thrown out for being old.
      let victim: Connection | undefined;
      let looked = 0;
      for (const candidate of this.flows.values()) {
        if (!victim || candidate.lastSeenUs < victim.lastSeenUs) victim = candidate;
        if (++looked === EVICTION_SAMPLE) break;
      }
      if (victim) {
        this.counters.evictedFlows++;
        this.close(victim, 'evicted', now);
      }
    }
    const conn = new Connection(
      this.nextId++,
      lo,
      hi,
      aEnd,
      { ip: formatAddress(seg.frame.subarray(seg.srcOffset, seg.srcOffset + seg.addressLength)), port: seg.srcPort },
      { ip: formatAddress(seg.frame.subarray(seg.dstOffset, seg.dstOffset + seg.addressLength)), port: seg.dstPort },
      now,
    );
    if (seg.flags & SYN && !(seg.flags & ACK)) conn.initiator = 0;
    else if (seg.flags & SYN) conn.initiator = 1;
    conn.handler = this.createHandler(conn);
    this.flows.add(conn);
    if (typeof lo === 'number') {
      let inner = this.v4.get(lo);
      if (!inner) this.v4.set(lo, (inner = new Map()));
      inner.set(hi as number, conn);
    } else {
      this.v6.set(`${lo}|${hi}`, conn);
    }
    this.counters.flows++;
    this.counters.activeFlows = this.flows.size;
    return conn;
  }

  private receive(conn: Connection, dir: Direction, seq: number, payload: Buffer, now: number, peerAcked: number): void {
    const d = conn.dirs[dir];
    if (d.ended) return;
    if (d.nextSeq < 0) d.nextSeq = d.base = seq;
    const diff = seqDiff(seq, d.nextSeq);
    if (diff + payload.length <= 0) {
      this.counters.retransmittedBytes += payload.length;
      return;
    }
    if (diff <= 0) {
      if (diff < 0) this.counters.retransmittedBytes -= diff;
      this.deliver(conn, dir, diff === 0 ? payload : payload.subarray(-diff), now, peerAcked);
      if (d.pending.length > 0 || d.finSeq >= 0) this.drain(conn, dir, now);
      return;
    }
    this.counters.outOfOrderSegments++;
    this.insertPending(d, { seq, data: Buffer.from(payload), peerAcked, ts: now });
    this.counters.bufferedBytes += payload.length;
    if (d.pendingBytes > this.options.maxBufferedBytesPerFlow || this.counters.bufferedBytes > this.options.maxBufferedBytesTotal) {
      this.skipToPending(conn, dir, now);
    }
  }

  private deliver(conn: Connection, dir: Direction, data: Buffer, now: number, peerAcked: number): void {
    const d = conn.dirs[dir];
    let bytes = data;
    if (d.finSeq >= 0) {
      // Bytes past the FIN are not part of the stream.
      const room = seqDiff(d.finSeq, d.nextSeq);
      if (room <= 0) return;
      if (bytes.length > room) bytes = bytes.subarray(0, room);
    }
    d.nextSeq = (d.nextSeq + bytes.length) >>> 0;
    if (!conn.handler.ignored) conn.handler.data(dir, bytes, now, peerAcked);
  }

  private insertPending(d: StreamDirection, segment: PendingSegment): void {
    let i = d.pending.length;
    while (i > 0 && seqDiff(d.pending[i - 1].seq, segment.seq) > 0) i--;
    d.pending.splice(i, 0, segment);
    d.pendingBytes += segment.data.length;
  }

  /** Delivers waiting segments that have become contiguous. */
  private drain(conn: Connection, dir: Direction, now: number): void {
    const d = conn.dirs[dir];
    while (d.pending.length > 0) {
      const first = d.pending[0];
      const diff = seqDiff(first.seq, d.nextSeq);
      if (diff > 0) break;
      d.pending.shift();
      d.pendingBytes -= first.data.length;
      this.counters.bufferedBytes -= first.data.length;
      if (diff + first.data.length <= 0) {
        this.counters.retransmittedBytes += first.data.length;
        continue;
      }
      this.deliver(conn, dir, first.data.subarray(-diff), Math.min(first.ts, now), first.peerAcked);
    }
    this.maybeEnd(conn, dir, now);
  }

  /** Gives up on the hole before the first waiting segment: reports it and moves on. */
  private skipToPending(conn: Connection, dir: Direction, now: number): void {
    const d = conn.dirs[dir];
    const first = d.pending[0];
    if (!first) return;
    this.reportGap(conn, dir, seqDiff(first.seq, d.nextSeq), now);
    d.nextSeq = first.seq;
    this.drain(conn, dir, now);
  }

  private reportGap(conn: Connection, dir: Direction, bytes: number, now: number): void {
    if (bytes <= 0) return;
    this.counters.gaps++;
    this.counters.gapBytes += bytes;
    if (!conn.handler.ignored) conn.handler.gap(dir, bytes, now);
  }

  /** The peer acknowledged `ack`: bytes before it that we have not seen were lost by the capture. */
  private checkAcknowledged(conn: Connection, dir: Direction, ack: number, now: number): void {
    const d = conn.dirs[dir];
    if (d.nextSeq < 0 || d.ended) return;
    let limit = ack;
    if (d.finSeq >= 0 && seqDiff(ack, d.finSeq) > 0) limit = d.finSeq;
    const missing = seqDiff(limit, d.nextSeq);
    if (missing <= 0 || missing > 0x40000000) return;
    const first = d.pending[0];
    if (first && seqDiff(first.seq, limit) <= 0) {
      this.skipToPending(conn, dir, now);
      return;
    }
    this.reportGap(conn, dir, missing, now);
    d.nextSeq = limit >>> 0;
    this.drain(conn, dir, now);
  }

  private maybeEnd(conn: Connection, dir: Direction, now: number): void {
    const d = conn.dirs[dir];
    if (d.ended || d.finSeq < 0 || d.nextSeq !== d.finSeq) return;
    d.ended = true;
    this.dropPending(d);
    if (!conn.handler.ignored) conn.handler.end(dir, now);
  }

  private dropPending(d: StreamDirection): void {
    this.counters.bufferedBytes -= d.pendingBytes;
    d.pending = [];
    d.pendingBytes = 0;
  }

  private close(conn: Connection, reason: CloseReason, now: number): void {
    if (!this.flows.delete(conn)) return;
    if (typeof conn.lo === 'number') {
      const inner = this.v4.get(conn.lo);
      inner?.delete(conn.hi as number);
      if (inner?.size === 0) this.v4.delete(conn.lo);
    } else {
      this.v6.delete(`${conn.lo}|${conn.hi}`);
    }
    this.counters.activeFlows = this.flows.size;
    if (!conn.handler.ignored) {
      // Whatever is still waiting behind a hole is delivered after reporting the hole.
      for (const dir of [0, 1] as const) {
        const d = conn.dirs[dir];
        while (d.pending.length > 0 && !d.ended) this.skipToPending(conn, dir, now);
        if (!d.ended && d.finSeq >= 0 && d.nextSeq >= 0) {
          this.reportGap(conn, dir, seqDiff(d.finSeq, d.nextSeq), now);
          d.nextSeq = d.finSeq;
          this.maybeEnd(conn, dir, now);
        }
      }
    }
    this.dropPending(conn.dirs[0]);
    this.dropPending(conn.dirs[1]);
    conn.handler.close(reason, now);
  }
}
