/**
 * A small pcap writer and TCP conversation synthesiser for tests and the benchmark: frames are
 * built byte by byte (Ethernet/VLAN/SLL/SLL2/raw, IPv4/IPv6, TCP) with consistent sequence and
 * acknowledgement numbers, so the decoder sees what a real capture would contain.
 */
import { TcpFlags } from '@/sensor/packet';
import { LinkType } from '@/sensor/pcap';

export type Link = 'ethernet' | 'vlan' | 'sll' | 'sll2' | 'raw';

const LINK_TYPES: Record<Link, number> = {
  ethernet: LinkType.ETHERNET,
  vlan: LinkType.ETHERNET,
  sll: LinkType.LINUX_SLL,
  sll2: LinkType.LINUX_SLL2,
  raw: LinkType.RAW,
};

export interface Frame {
  readonly timestampUs: number;
  readonly data: Buffer;
}

export function pcapFile(link: Link, frames: readonly Frame[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(LINK_TYPES[link], 20);
  const parts: Buffer[] = [header];
  for (const f of frames) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(f.timestampUs / 1e6), 0);
    rec.writeUInt32LE(f.timestampUs % 1e6, 4);
    rec.writeUInt32LE(f.data.length, 8);
    rec.writeUInt32LE(f.data.length, 12);
    parts.push(rec, f.data);
  }
  return Buffer.concat(parts);
}

/** The same frames as a pcapng file (section header, one interface, enhanced packet blocks). */
export function pcapngFile(link: Link, frames: readonly Frame[], interfaceDrops?: number): Buffer {
  const block = (type: number, body: Buffer) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const b = Buffer.alloc(12 + padded.length);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(b.length, 4);
    padded.copy(b, 8);
    b.writeUInt32LE(b.length, b.length - 4);
    return b;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeInt32LE(-1, 8);
  shb.writeInt32LE(-1, 12);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(LINK_TYPES[link], 0);
  idb.writeUInt32LE(262144, 4);
  const parts = [block(0x0a0d0d0a, shb), block(1, idb)];
  for (const f of frames) {
    const epb = Buffer.alloc(20);
    epb.writeUInt32LE(0, 0);
    epb.writeUInt32LE(Math.floor(f.timestampUs / 4294967296), 4);
    epb.writeUInt32LE(f.timestampUs % 4294967296, 8);
    epb.writeUInt32LE(f.data.length, 12);
    epb.writeUInt32LE(f.data.length, 16);
    parts.push(block(6, Buffer.concat([epb, f.data])));
  }
  if (interfaceDrops !== undefined) {
    const isb = Buffer.alloc(12 + 12 + 4);
    isb.writeUInt16LE(5, 12);
    isb.writeUInt16LE(8, 14);
    isb.writeUInt32LE(0, 16);
    isb.writeUInt32LE(interfaceDrops, 20);
    parts.push(block(5, isb));
  }
  return Buffer.concat(parts);
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

const { FIN, SYN, RST, PSH, ACK } = TcpFlags;

export interface ConversationOptions {
  readonly link?: Link;
  readonly clientIp?: string;
  readonly serverIp?: string;
  readonly clientPort?: number;
  readonly serverPort?: number;
  readonly startUs?: number;
  readonly mss?: number;
  readonly clientIsn?: number;
  readonly serverIsn?: number;
}

export type Side = 'client' | 'server';

/** Builds the frames of one TCP connection. */
export class TcpConversation {
  readonly frames: Frame[] = [];
  private seq: Record<Side, number>;
  private ts: number;
  readonly link: Link;
  private readonly v6: boolean;
  private readonly addr: Record<Side, Buffer>;
  private readonly port: Record<Side, number>;
  readonly mss: number;

  constructor(options: ConversationOptions = {}) {
    this.link = options.link ?? 'ethernet';
    const clientIp = options.clientIp ?? '10.0.0.1';
    const serverIp = options.serverIp ?? '10.0.0.2';
    this.v6 = clientIp.includes(':');
    this.addr = { client: this.v6 ? ipv6Bytes(clientIp) : ipv4Bytes(clientIp), server: this.v6 ? ipv6Bytes(serverIp) : ipv4Bytes(serverIp) };
    this.port = { client: options.clientPort ?? 40000, server: options.serverPort ?? 80 };
    this.seq = { client: options.clientIsn ?? 1000, server: options.serverIsn ?? 5000 };
    this.ts = options.startUs ?? 1_700_000_000_000_000;
    this.mss = options.mss ?? 1460;
  }

  private other(side: Side): Side {
    return side === 'client' ? 'server' : 'client';
  }

  /** Current next sequence number of a side (for building hostile segments by hand). */
  nextSeq(side: Side): number {
    return this.seq[side];
  }

  handshake(): this {
    this.segment('client', SYN, Buffer.alloc(0), this.seq.client, 0);
    this.seq.client = (this.seq.client + 1) >>> 0;
    this.segment('server', SYN | ACK, Buffer.alloc(0), this.seq.server, this.seq.client);
    this.seq.server = (this.seq.server + 1) >>> 0;
    this.segment('client', ACK, Buffer.alloc(0), this.seq.client, this.seq.server);
    return this;
  }

  /** Sends data from `side`, cut into MSS-sized segments, each acknowledged by the peer. */
  send(side: Side, data: Buffer | string, options: { ackEach?: boolean } = {}): this {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    for (let off = 0; off < bytes.length; off += this.mss) {
      const part = bytes.subarray(off, off + this.mss);
      this.segment(side, PSH | ACK, part, this.seq[side], this.seq[this.other(side)]);
      this.seq[side] = (this.seq[side] + part.length) >>> 0;
      if (options.ackEach !== false) this.segment(this.other(side), ACK, Buffer.alloc(0), this.seq[this.other(side)], this.seq[side]);
    }
    return this;
  }

  /** Returns the segments `send` would produce without recording them (to reorder or drop). */
  segmentsOf(side: Side, data: Buffer | string): Frame[] {
    const before = this.frames.length;
    this.send(side, data, { ackEach: false });
    return this.frames.splice(before);
  }

  fin(side: Side): this {
    this.segment(side, FIN | ACK, Buffer.alloc(0), this.seq[side], this.seq[this.other(side)]);
    this.seq[side] = (this.seq[side] + 1) >>> 0;
    this.segment(this.other(side), ACK, Buffer.alloc(0), this.seq[this.other(side)], this.seq[side]);
    return this;
  }

  close(): this {
    return this.fin('client').fin('server');
  }

  rst(side: Side): this {
    this.segment(side, RST, Buffer.alloc(0), this.seq[side], 0);
    return this;
  }

  /** Appends an arbitrary raw segment. */
  segment(side: Side, flags: number, payload: Buffer, seq: number, ack: number): this {
    this.ts += 10;
    this.frames.push({ timestampUs: this.ts, data: this.frame(side, flags, payload, seq, ack) });
    return this;
  }

  private frame(side: Side, flags: number, payload: Buffer, seq: number, ack: number): Buffer {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(this.port[side], 0);
    tcp.writeUInt16BE(this.port[this.other(side)], 2);
    tcp.writeUInt32BE(seq >>> 0, 4);
    tcp.writeUInt32BE(ack >>> 0, 8);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    tcp.writeUInt16BE(65535, 14);
    const src = this.addr[side];
    const dst = this.addr[this.other(side)];
    let ip: Buffer;
    if (this.v6) {
      ip = Buffer.alloc(40);
      ip[0] = 0x60;
      ip.writeUInt16BE(20 + payload.length, 4);
      ip[6] = 6;
      ip[7] = 64;
      src.copy(ip, 8);
      dst.copy(ip, 24);
    } else {
      ip = Buffer.alloc(20);
      ip[0] = 0x45;
      ip.writeUInt16BE(40 + payload.length, 2);
      ip[8] = 64;
      ip[9] = 6;
      src.copy(ip, 12);
      dst.copy(ip, 16);
    }
    const etherType = this.v6 ? 0x86dd : 0x0800;
    let l2: Buffer;
    switch (this.link) {
      case 'ethernet':
        l2 = Buffer.alloc(14);
        l2.writeUInt16BE(etherType, 12);
        break;
      case 'vlan':
        l2 = Buffer.alloc(18);
        l2.writeUInt16BE(0x8100, 12);
        l2.writeUInt16BE(42, 14);
        l2.writeUInt16BE(etherType, 16);
        break;
      case 'sll':
        l2 = Buffer.alloc(16);
        l2.writeUInt16BE(etherType, 14);
        break;
      case 'sll2':
        l2 = Buffer.alloc(20);
        l2.writeUInt16BE(etherType, 0);
        break;
      case 'raw':
        l2 = Buffer.alloc(0);
        break;
    }
    return Buffer.concat([l2, ip, tcp, payload]);
  }
}
