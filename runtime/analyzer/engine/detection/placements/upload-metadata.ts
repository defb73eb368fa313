/**
 * The tus resumable-upload protocol's `Upload-Metadata` header: comma-separated pairs of a key and
 * its value in base64 (`filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,filetype YXBwbGljYXRpb24vcGRm`).
 * The server stores and echoes the decoded file name and type, so they are values like any other.
 */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Pairs read from one header (tus clients send a handful). */
const MAX_PAIRS = 32;

export function uploadMetadataValues(header: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const pair of header.split(',', MAX_PAIRS)) {
    // A key without a value is a flag (`is_confidential`).
    const [key, value, extra] = pair.trim().split(/\s+/, 3);
    if (key === undefined || value === undefined || extra !== undefined || !BASE64.test(value)) continue;
    out.push({ key, value: Buffer.from(value, 'base64').toString('utf8') });
  }
  return out;
}
