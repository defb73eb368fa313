import { open, stat } from 'node:fs/promises';
import { InputError } from './input-error';

export type InputKind = 'har' | 'capture';

export interface InputFile {
  readonly path: string;
  readonly kind: InputKind;
  readonly bytes: number;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const HEAD_BYTES = 64;

function describeStatError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file; check the path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; make the file readable';
    case 'ENOTDIR':
      return 'a part of the path is not a directory; check the path';
    default:
      return `cannot read (${error.code ?? error.message})`;
  }
}

/** The first bytes of a file that is neither, shown safely (control bytes escaped, short). */
function preview(head: Buffer): string {
  return JSON.stringify(head.subarray(0, 16).toString('latin1'));
}

/**
 * What a file holds, decided by its content rather than its name: the pcap and pcapng magic
 * numbers, else a JSON object (a HAR file). Exports are often renamed (.txt, .json, no extension).
 */
export async function identifyInput(path: string): Promise<InputFile> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(path, 'is a directory; give HAR or pcap/pcapng files (e.g. captures/*.pcap)');
    if (!info.isFile()) throw new InputError(path, 'is not a regular file; give a HAR or pcap/pcapng file');
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, describeStatError(error as NodeJS.ErrnoException));
  }
  if (size === 0) throw new InputError(path, 'is empty; give a HAR file or a pcap/pcapng capture');

  const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new InputError(path, describeStatError(error as NodeJS.ErrnoException));
  }

  if (head.length >= 4 && (PCAP_MAGICS.has(head.readUInt32LE(0)) || head.readUInt32BE(0) === PCAPNG_SECTION_HEADER)) {
    return { path, kind: 'capture', bytes: size };
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    throw new InputError(path, 'is gzip-compressed; decompress it first (gunzip -k FILE) and give the .har or .pcap inside');
  }
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{')) return { path, kind: 'har', bytes: size };
  if (text.length === 0 && size <= HEAD_BYTES) throw new InputError(path, 'holds only white space; give a HAR file or a pcap/pcapng capture');
  throw new InputError(
    path,
    `is neither a HAR file (a JSON object) nor a pcap/pcapng capture (it starts with ${preview(head)}); export HAR from the browser DevTools, ZAP or Burp, or capture with tcpdump -w`,
  );
}
