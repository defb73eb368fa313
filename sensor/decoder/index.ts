/**
 * The offline part of the sensor: capture bytes (pcap/pcapng) in, decoded HTTP exchanges out.
 * Used the same way for a live tcpdump pipe and for a file replay.
 */
import { HttpConnection, emptyHttpCounters, type DecodedExchange, type HttpCounters, type ResponseBodyPolicy } from '../http';
import { decodeFrame, type SkipReason, type TcpSegment } from '../packet';
import { PcapStreamParser, type CapturedPacket } from '../pcap';
import { TcpTracker, type TcpCounters } from '../tcp';

export interface DecoderOptions {
  readonly maxBodyBytes: number;
  /** Response bodies kept only as their signature (RESPONSE_BODY_SKIP_TYPES). @default none: every body up to maxBodyBytes */
  readonly responseBodies?: ResponseBodyPolicy;
  readonly maxHeadBytes: number;
  readonly maxFlows: number;
  readonly maxBufferedBytesPerFlow: number;
  readonly maxBufferedBytesTotal: number;
  readonly idleTimeoutMs: number;
  /** Fraction of connections decoded, 0 < rate <= 1. */
  readonly sampleRate: number;
  /** Source of randomness for sampling (tests pass a fixed one). */
  readonly random?: () => number;
  /** Told once per kind of problem in the capture itself (unknown link type, packets cut short). */
  readonly onWarning?: (message: string, fields: Record<string, unknown>) => void;
}

export const DEFAULT_DECODER_OPTIONS: DecoderOptions = {
  maxBodyBytes: 64 * 1024,
  maxHeadBytes: 64 * 1024,
  maxFlows: 50_000,
  maxBufferedBytesPerFlow: 1024 * 1024,
  maxBufferedBytesTotal: 64 * 1024 * 1024,
  idleTimeoutMs: 120_000,
  sampleRate: 1,
};

export interface DecoderCounters {
  packets: number;
  bytes: number;
  tcpSegments: number;
  skipped: Record<SkipReason, number>;
  tcp: TcpCounters;
  http: HttpCounters;
  /** Packets the capture kept shorter than they were on the wire (its snap length). */
  snapTruncatedPackets: number;
  /** Packets whose processing failed unexpectedly (a decoder bug); the capture goes on. */
  internalErrors: number;
  lastInternalError: string;
}

/** The link types `decodeFrame` understands, for the warning about any other. */
const SUPPORTED_LINKS = 'Ethernet (1), BSD loopback (0), raw IP (12, 14, 101, 228, 229), Linux cooked v1 (113) and v2 (276)';

/** How often (capture time) idle flows are swept. */
const SWEEP_INTERVAL_US = 1_000_000;

export class TrafficDecoder {
  private readonly pcap: PcapStreamParser;
  private readonly tcp: TcpTracker;
  private lastTimestampUs = 0;
  private lastSweepUs = 0;
  /** Reused for every packet; the TCP tracker copies what it keeps. */
  private readonly segment = {} as TcpSegment;
  private readonly unsupportedLinkTypes = new Set<number>();
  private readonly warn: (message: string, fields: Record<string, unknown>) => void;
  readonly counters: DecoderCounters;

  constructor(
    private readonly emit: (exchange: DecodedExchange) => void,
    options: Partial<DecoderOptions> = {},
  ) {
    const o = { ...DEFAULT_DECODER_OPTIONS, ...options };
    const http = emptyHttpCounters();
    const random = o.random ?? Math.random;
    this.warn = o.onWarning ?? (() => undefined);
    this.tcp = new TcpTracker(
      {
        maxFlows: o.maxFlows,
        maxBufferedBytesPerFlow: o.maxBufferedBytesPerFlow,
        maxBufferedBytesTotal: o.maxBufferedBytesTotal,
        idleTimeoutUs: o.idleTimeoutMs * 1000,
      },
      (info) => {
        const conn = new HttpConnection(info, {
          counters: http,
          emit: this.emit,
          maxBodyBytes: o.maxBodyBytes,
          responseBodies: o.responseBodies,
          maxHeadBytes: o.maxHeadBytes,
        });
        if (o.sampleRate < 1 && random() >= o.sampleRate) conn.skip('sampled_out');
        return conn;
      },
    );
    this.counters = {
      packets: 0,
      bytes: 0,
      tcpSegments: 0,
      skipped: { not_ip: 0, not_tcp: 0, fragment: 0, malformed: 0, unsupported_link: 0 },
      tcp: this.tcp.counters,
      http,
      snapTruncatedPackets: 0,
      internalErrors: 0,
      lastInternalError: '',
    };
    this.pcap = new PcapStreamParser((packet) => this.packet(packet));
  }

  /** Feeds capture-file bytes. Throws PcapFormatError when the stream is not pcap/pcapng. */
  push(chunk: Buffer): void {
    this.pcap.push(chunk);
  }

  /** Decodes one frame directly (bypassing the pcap container). */
  packet(packet: CapturedPacket): void {
    this.counters.packets++;
    this.counters.bytes += packet.originalLength;
    const decoded = decodeFrame(packet.linkType, packet.data, this.segment);
    const ts = packet.timestampUs;
    if (ts > this.lastTimestampUs) this.lastTimestampUs = ts;
    if (packet.data.length < packet.originalLength && this.counters.snapTruncatedPackets++ === 0) {
      this.warn('the capture cut packets short (snap length): bodies and later messages of those connections are incomplete; capture with tcpdump -s 0', {
        captured_bytes: packet.data.length,
        wire_bytes: packet.originalLength,
      });
    }
    if (typeof decoded === 'string') {
      this.counters.skipped[decoded]++;
      if (decoded === 'unsupported_link' && !this.unsupportedLinkTypes.has(packet.linkType)) {
        this.unsupportedLinkTypes.add(packet.linkType);
        this.warn(
          `packets of link type ${packet.linkType} cannot be decoded and are skipped (supported: ${SUPPORTED_LINKS}); capture on an Ethernet, cooked (any) or raw IP interface`,
          {
            link_type: packet.linkType,
          },
        );
      }
    } else {
      this.counters.tcpSegments++;
      try {
        this.tcp.handle(decoded, ts);
      } catch (error) {
        // A decoder bug must cost one packet, not the capture: count it and carry on.
        this.counters.internalErrors++;
        if (!this.counters.lastInternalError) this.counters.lastInternalError = String((error as Error)?.stack ?? error).slice(0, 500);
      }
    }
    if (this.lastTimestampUs - this.lastSweepUs > SWEEP_INTERVAL_US) this.sweep(this.lastTimestampUs);
  }

  /** Closes flows idle as of `nowUs` (live capture calls this with the wall clock). */
  sweep(nowUs: number): void {
    this.lastSweepUs = nowUs;
    this.tcp.sweep(nowUs);
  }

  /** End of input: every open connection is closed and its exchanges emitted. */
  finish(): void {
    this.tcp.closeAll('end_of_input', this.lastTimestampUs);
  }

  /** Interface drops recorded in a pcapng file's statistics blocks. */
  get fileReportedDrops(): number {
    return this.pcap.interfaceDrops;
  }

  get incompleteTail(): boolean {
    return this.pcap.hasPartialRecord;
  }
}
