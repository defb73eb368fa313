/**
 * Collects one message body up to the capture cap, copying only what it keeps. After a capture
 * gap it stops keeping bytes and counts what is missing. `data` is a prefix of the body, except for
 * a condensed multipart request body (file contents left out), which is flagged truncated.
 */
import type { Body } from '../../runtime/proto';
import { contentEncodings, decodeContent } from '../../runtime/content-decoding';
import { MultipartCondenser } from '../../runtime/multipart';

export class BodyCollector {
  private parts: Buffer[] = [];
  private kept = 0;
  private wireLength = 0;
  private missing = 0;
  private truncated = false;
  private broken = false;

  private readonly condenser?: MultipartCondenser;

  /**
   * @param cap bytes kept
   * @param signatureOnly the capture policy keeps only the body's first bytes (./capture-policy):
   *   they are sent as captured, since a prefix of a compressed body decodes to next to nothing
   * @param multipartBoundary an uncompressed multipart body's boundary: its file contents are
   *   condensed (runtime/multipart), so the cap keeps the fields after a large file
   */
  constructor(
    private readonly cap: number,
    private readonly signatureOnly = false,
    multipartBoundary?: string,
  ) {
    if (multipartBoundary !== undefined) this.condenser = new MultipartCondenser(multipartBoundary, (bytes) => this.keep(bytes, 0, bytes.length));
  }

  add(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.wireLength += n;
    if (this.broken) return;
    if (this.condenser === undefined) this.keep(chunk, start, end);
    else if (this.kept < this.cap) this.condenser.push(chunk.subarray(start, end));
    else this.truncated = true;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const take = n <= room ? n : room;
    if (take < n) this.truncated = true;
    // Copy: the chunk is a view of a capture buffer that must not be pinned.
    this.parts.push(Buffer.from(chunk.subarray(start, start + take)));
    this.kept += take;
  }

  addGap(bytes: number): void {
    if (bytes <= 0) return;
    this.wireLength += bytes;
    this.missing += bytes;
    this.truncated = true;
    this.broken = true;
  }

  /** The message ended before its framing said it would. */
  markIncomplete(): void {
    this.truncated = true;
  }

  get isEmpty(): boolean {
    return this.wireLength === 0 && !this.truncated;
  }

  finish(contentEncoding: string): Body {
    if (this.condenser !== undefined) {
      this.condenser.end();
      // The body sent is no longer a prefix of the one on the wire: file bytes were left out.
      if (this.condenser.elided > 0) this.truncated = true;
    }
    const raw = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
    this.parts = [];
    const encoding = contentEncoding.trim().toLowerCase();
    const identity = contentEncodings(encoding).length === 0;
    if (raw.length > 0 && !identity && !this.signatureOnly) {
      // An unknown coding or undecodable data is passed on as it came, labelled with its coding.
      const decoded = decodeContent(encoding, raw, this.cap);
      if (decoded.ok) {
        return {
          data: decoded.data,
          truncated: this.truncated || decoded.truncated,
          wire_length: this.wireLength,
          content_encoding: encoding,
          decoded: true,
          missing_bytes: this.missing,
        };
      }
    }
    return {
      data: raw,
      truncated: this.truncated,
      wire_length: this.wireLength,
      content_encoding: identity ? '' : encoding,
      decoded: false,
      missing_bytes: this.missing,
    };
  }
}
