/**
 * Incremental reader for pcap and pcapng streams (tcpdump's `-w -` output, or a file).
 * Chunks of any size go in; whole packets come out as views of the input, so nothing is copied
 * unless a packet straddles two chunks.
 */
import type { ErrorCode } from '../../runtime/errors';

/**
 * One captured frame. Only valid during the callback: the object is reused for the next packet
 * and `data` views the input chunk.
 */
export interface CapturedPacket {
  readonly linkType: number;
  /** Capture time, microseconds since the Unix epoch. */
  readonly timestampUs: number;
  readonly data: Buffer;
  /** Length on the wire (data may be shorter when the snap length cut it). */
  readonly originalLength: number;
}

type MutablePacket = { -readonly [K in keyof CapturedPacket]: CapturedPacket[K] };

export type PacketCallback = (packet: CapturedPacket) => void;

/** The capture stream is not pcap/pcapng or is corrupt; names the byte offset. */
export class PcapFormatError extends Error {
  readonly code = 'TXP_SENSOR_PCAP_INVALID' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'PcapFormatError';
  }
}

/** Largest record accepted; libpcap's own maximum snap length is 256 KiB (262144). */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface PcapngInterface {
  linkType: number;
  /** Multiply a raw timestamp by this to get microseconds. */
  toMicros: number;
}

type Format = 'unknown' | 'pcap' | 'pcapng';

export class PcapStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  private format: Format = 'unknown';
  private littleEndian = true;
  private nanos = false;
  private linkType = 0;
  private interfaces: PcapngInterface[] = [];
  private offset = 0;
  /** Drops reported by pcapng interface statistics blocks (isb_ifdrop), when present. */
  interfaceDrops = 0;
  packets = 0;
  private readonly scratch: MutablePacket = { linkType: 0, timestampUs: 0, data: Buffer.alloc(0), originalLength: 0 };

  constructor(private readonly onPacket: PacketCallback) {}

  /** Feeds the next chunk of the stream. Throws PcapFormatError on a corrupt stream. */
  push(chunk: Buffer): void {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    if (this.format === 'unknown') {
      if (buf.length < 24) {
        this.pending = Buffer.from(buf);
        return;
      }
      pos = this.readFileHeader(buf);
    }
    pos = this.format === 'pcap' ? this.readPcapRecords(buf, pos) : this.readPcapngBlocks(buf, pos);
    this.offset += pos;
    // Keep the tail as a copy: it is small, and keeping a view would pin the whole chunk.
    this.pending = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  /** True when the stream ended in the middle of a record (a cut-off file). */
  get hasPartialRecord(): boolean {
    return this.pending.length > 0;
  }

  private readFileHeader(buf: Buffer): number {
    const le = buf.readUInt32LE(0);
    const be = buf.readUInt32BE(0);
    if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) {
      this.format = 'pcap';
      this.littleEndian = le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
      this.nanos = (this.littleEndian ? le : be) === PCAP_MAGIC_NS;
      this.linkType = (this.littleEndian ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0xffff;
      return 24;
    }
    if (be === PCAPNG_SHB) {
      this.format = 'pcapng';
      return 0;
    }
    throw new PcapFormatError(
      `not a pcap or pcapng stream (first bytes ${buf.subarray(0, 4).toString('hex')}); give a file written by tcpdump -w, Wireshark or dumpcap`,
    );
  }

  private readPcapRecords(buf: Buffer, start: number): number {
    let pos = start;
    const le = this.littleEndian;
    while (buf.length - pos >= 16) {
      const sec = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const frac = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      const incl = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      const orig = le ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      if (incl > MAX_RECORD_BYTES) {
        throw new PcapFormatError(`corrupt pcap record at byte ${this.offset + pos}: captured length ${incl} exceeds ${MAX_RECORD_BYTES}`);
      }
      if (buf.length - pos - 16 < incl) break;
      this.packets++;
      // One object for every packet: a fresh one per packet is measurable garbage at line rate.
      const p = this.scratch;
      p.linkType = this.linkType;
      p.timestampUs = sec * 1e6 + (this.nanos ? Math.floor(frac / 1000) : frac);
      p.data = buf.subarray(pos + 16, pos + 16 + incl);
      p.originalLength = orig;
      this.onPacket(p);
      pos += 16 + incl;
    }
    return pos;
  }

  private readPcapngBlocks(buf: Buffer, start: number): number {
    let pos = start;
    while (buf.length - pos >= 12) {
      const rawType = buf.readUInt32LE(pos);
      if (rawType === PCAPNG_SHB || buf.readUInt32BE(pos) === PCAPNG_SHB) {
        // A section header sets the byte order of everything after it.
        const bom = buf.readUInt32LE(pos + 8);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (buf.readUInt32BE(pos + 8) === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = false;
        else throw new PcapFormatError(`corrupt pcapng section header at byte ${this.offset + pos}: bad byte-order magic`);
        this.interfaces = [];
      }
      const le = this.littleEndian;
      const type = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const length = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
        throw new PcapFormatError(`corrupt pcapng block at byte ${this.offset + pos}: block length ${length}`);
      }
      if (buf.length - pos < length) break;
      const body = buf.subarray(pos + 8, pos + length - 4);
      this.readPcapngBlock(type, body, pos);
      pos += length;
    }
    return pos;
  }

  private readPcapngBlock(type: number, body: Buffer, at: number): void {
    const le = this.littleEndian;
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    const u16 = (o: number) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
    const corrupt = (what: string) => new PcapFormatError(`corrupt pcapng ${what} at byte ${this.offset + at}`);
    switch (type) {
      case 1: {
        if (body.length < 8) throw corrupt('interface description block');
        this.interfaces.push({ linkType: u16(0), toMicros: this.tsResolution(body.subarray(8)) });
        return;
      }
      case 6: {
        if (body.length < 20) throw corrupt('enhanced packet block');
        const iface = this.interfaces[u32(0)];
        if (!iface) throw corrupt('enhanced packet block (unknown interface id)');
        const caplen = u32(12);
        if (20 + caplen > body.length) throw corrupt('enhanced packet block (captured length)');
        const ts = u32(4) * 4294967296 + u32(8);
        this.packets++;
        this.onPacket({
          linkType: iface.linkType,
          timestampUs: Math.floor(ts * iface.toMicros),
          data: body.subarray(20, 20 + caplen),
          originalLength: u32(16),
        });
        return;
      }
      case 3: {
        const iface = this.interfaces[0];
        if (!iface || body.length < 4) throw corrupt('simple packet block');
        const orig = u32(0);
        this.packets++;
        this.onPacket({ linkType: iface.linkType, timestampUs: 0, data: body.subarray(4, 4 + Math.min(orig, body.length - 4)), originalLength: orig });
        return;
      }
      case 5: {
        // Interface statistics: option 5 (isb_ifdrop) counts packets the interface dropped.
        if (body.length < 12) return;
        this.forEachOption(body.subarray(12), (code, value) => {
          if (code === 5 && value.length >= 8) {
            const hi = le ? value.readUInt32LE(0) : value.readUInt32BE(0);
            const lo = le ? value.readUInt32LE(4) : value.readUInt32BE(4);
            this.interfaceDrops = hi * 4294967296 + lo;
          }
        });
        return;
      }
      default:
        return;
    }
  }

  private tsResolution(options: Buffer): number {
    let micros = 1;
    this.forEachOption(options, (code, value) => {
      if (code === 9 && value.length >= 1) {
        const v = value[0];
        const unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
        micros = 1e6 / unitsPerSecond;
      }
    });
    return micros;
  }

  private forEachOption(options: Buffer, visit: (code: number, value: Buffer) => void): void {
    const le = this.littleEndian;
    let pos = 0;
    while (options.length - pos >= 4) {
      const code = le ? options.readUInt16LE(pos) : options.readUInt16BE(pos);
      const len = le ? options.readUInt16LE(pos + 2) : options.readUInt16BE(pos + 2);
      if (code === 0 || pos + 4 + len > options.length) return;
      visit(code, options.subarray(pos + 4, pos + 4 + len));
      pos += 4 + ((len + 3) & ~3);
    }
  }
}

/** libpcap link-layer header types the decoder understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
