/**
 * Link layer → IP → TCP decoding of one captured frame. Returns a TCP segment or a reason the
 * frame was skipped; never throws on malformed input (every length is checked first).
 */

export const TcpFlags = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpSegment {
  /** The address as a flow-table key: the IPv4 address as a number (no string per packet), or IPv6 hex. */
  srcKey: number | string;
  dstKey: number | string;
  /** The frame and where its source and destination addresses (4 or 16 bytes each) start. */
  frame: Buffer;
  srcOffset: number;
  dstOffset: number;
  addressLength: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Buffer;
}

/** Why a frame did not yield a TCP segment (counted by the caller). */
export type SkipReason = 'not_ip' | 'not_tcp' | 'fragment' | 'malformed' | 'unsupported_link';

export type DecodeResult = TcpSegment | SkipReason;

// libpcap link types (LinkType in ../pcap), as literals: this switch runs once per packet.
const LINK_NULL = 0;
const LINK_ETHERNET = 1;
const LINK_RAW = 101;
const LINK_LINUX_SLL = 113;
const LINK_IPV4 = 228;
const LINK_IPV6 = 229;
const LINK_LINUX_SLL2 = 276;
const EMPTY = Buffer.alloc(0);

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_VLAN_OLD_QINQ = 0x9100;
const MAX_VLAN_TAGS = 4;

/** Where decodeTcp writes: a caller-supplied object to reuse, or a fresh one. */
let into: TcpSegment | undefined;

/**
 * Decodes one frame. With `reuse`, the result is written into that object (valid until the next
 * call) instead of a new one.
 */
export function decodeFrame(linkType: number, frame: Buffer, reuse?: TcpSegment): DecodeResult {
  into = reuse;
  switch (linkType) {
    case LINK_ETHERNET:
      return decodeEthernet(frame);
    case LINK_LINUX_SLL:
      if (frame.length < 16) return 'malformed';
      return decodeEtherType(frame.readUInt16BE(14), frame, 16);
    case LINK_LINUX_SLL2:
      if (frame.length < 20) return 'malformed';
      return decodeEtherType(frame.readUInt16BE(0), frame, 20);
    case LINK_RAW:
    case 12:
    case 14:
      return decodeRawIp(frame, 0);
    case LINK_IPV4:
      return decodeIpv4(frame, 0);
    case LINK_IPV6:
      return decodeIpv6(frame, 0);
    case LINK_NULL:
      // BSD loopback: a 4-byte address family in the capturing host's byte order.
      if (frame.length < 4) return 'malformed';
      return decodeRawIp(frame, 4);
    default:
      return 'unsupported_link';
  }
}

function decodeEthernet(frame: Buffer): DecodeResult {
  if (frame.length < 14) return 'malformed';
  let type = frame.readUInt16BE(12);
  let offset = 14;
  for (let tags = 0; type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_VLAN_OLD_QINQ; tags++) {
    if (tags === MAX_VLAN_TAGS || frame.length < offset + 4) return 'malformed';
    type = frame.readUInt16BE(offset + 2);
    offset += 4;
  }
  return decodeEtherType(type, frame, offset);
}

function decodeEtherType(type: number, frame: Buffer, offset: number): DecodeResult {
  if (type === ETHERTYPE_IPV4) return decodeIpv4(frame, offset);
  if (type === ETHERTYPE_IPV6) return decodeIpv6(frame, offset);
  if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) {
    if (frame.length < offset + 4) return 'malformed';
    return decodeEtherType(frame.readUInt16BE(offset + 2), frame, offset + 4);
  }
  return 'not_ip';
}

function decodeRawIp(frame: Buffer, offset: number): DecodeResult {
  if (frame.length <= offset) return 'malformed';
  const version = frame[offset] >> 4;
  if (version === 4) return decodeIpv4(frame, offset);
  if (version === 6) return decodeIpv6(frame, offset);
  return 'not_ip';
}

function decodeIpv4(frame: Buffer, offset: number): DecodeResult {
  if (frame.length < offset + 20) return 'malformed';
  const vihl = frame[offset];
  if (vihl >> 4 !== 4) return 'malformed';
  const ihl = (vihl & 0x0f) * 4;
  const total = frame.readUInt16BE(offset + 2);
  if (ihl < 20 || total < ihl) return 'malformed';
  // TSO/GRO on capture can report a total length of 0 for large segments: trust the frame then.
  const end = total === 0 ? frame.length : Math.min(frame.length, offset + total);
  if (end < offset + ihl) return 'malformed';
  const fragment = frame.readUInt16BE(offset + 6);
  if ((fragment & 0x3fff) !== 0) return 'fragment';
  if (frame[offset + 9] !== 6) return 'not_tcp';
  return decodeTcp(frame, offset + ihl, end, offset + 12, offset + 16, 4, frame.readUInt32BE(offset + 12), frame.readUInt32BE(offset + 16));
}

function decodeIpv6(frame: Buffer, offset: number): DecodeResult {
  if (frame.length < offset + 40) return 'malformed';
  if (frame[offset] >> 4 !== 6) return 'malformed';
  const payloadLength = frame.readUInt16BE(offset + 4);
  const end = payloadLength === 0 ? frame.length : Math.min(frame.length, offset + 40 + payloadLength);
  let next = frame[offset + 6];
  let pos = offset + 40;
  // Walk extension headers; a fragment header means this is a fragment we do not reassemble.
  for (let hops = 0; hops < 8; hops++) {
    if (next === 6) {
      return decodeTcp(
        frame,
        pos,
        end,
        offset + 8,
        offset + 24,
        16,
        frame.toString('hex', offset + 8, offset + 24),
        frame.toString('hex', offset + 24, offset + 40),
      );
    }
    if (next === 44) return 'fragment';
    if (next !== 0 && next !== 43 && next !== 60) return 'not_tcp';
    if (end < pos + 8) return 'malformed';
    next = frame[pos];
    pos += (frame[pos + 1] + 1) * 8;
  }
  return 'malformed';
}

function decodeTcp(
  frame: Buffer,
  offset: number,
  end: number,
  srcOffset: number,
  dstOffset: number,
  addressLength: number,
  srcKey: number | string,
  dstKey: number | string,
): DecodeResult {
  if (end < offset + 20) return 'malformed';
  const dataOffset = (frame[offset + 12] >> 4) * 4;
  if (dataOffset < 20 || offset + dataOffset > end) return 'malformed';
  const seg: TcpSegment = into ?? ({} as TcpSegment);
  seg.srcKey = srcKey;
  seg.dstKey = dstKey;
  seg.frame = frame;
  seg.srcOffset = srcOffset;
  seg.dstOffset = dstOffset;
  seg.addressLength = addressLength;
  seg.srcPort = frame.readUInt16BE(offset);
  seg.dstPort = frame.readUInt16BE(offset + 2);
  seg.seq = frame.readUInt32BE(offset + 4);
  seg.ack = frame.readUInt32BE(offset + 8);
  seg.flags = frame[offset + 13];
  seg.payload = offset + dataOffset === end ? EMPTY : frame.subarray(offset + dataOffset, end);
  return seg;
}

/** Text form of an address view: dotted quad, or RFC 5952 IPv6 (zero run compressed). */
export function formatAddress(addr: Buffer): string {
  if (addr.length === 4) return `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(addr.readUInt16BE(i));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${addr[12]}.${addr[13]}.${addr[14]}.${addr[15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
