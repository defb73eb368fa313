/**
 * A file part that is a serialized object stream: a pickled model, a Java, .NET or Ruby object
 * dump, a PHP `serialize()` string (binary by its NUL-delimited member names). An import endpoint
 * deserializes what it is given, so such a file's first bytes are read as uploads are, as latin1
 * text: the sensor keeps FILE_BYTES_KEPT of a binary file, and a stream names the classes and
 * calls it builds near its start.
 */
import { blankLineEnd, FILE_BYTES_KEPT, MAX_PART_HEAD } from '../../multipart';
import type { Upload } from './message-view';

/** A PHP serialized object or array (`O:8:"stdClass":1:{`, `a:2:{`), which needs no binary byte to start. */
const PHP_SERIALIZED_LEAD = /^(?:[OC]:\d{1,4}:"[\w\\]{1,200}":\d{1,6}:\{|a:\d{1,6}:\{)/;

/**
 * Whether a file part's text (its bytes decoded as UTF-8) may start a serialized stream: pickle's
 * PROTO byte and Java's magic are no UTF-8 and decode to U+FFFD; .NET's BinaryFormatter and Ruby's
 * Marshal start with control bytes. A cheap test before the part's bytes are cut out.
 */
export function mayStartSerializedStream(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === 0xfffd || first === 0 || first === 4 || PHP_SERIALIZED_LEAD.test(text);
}

/** The stream's first bytes say which format it is; undefined when none. */
function isSerializedStream(content: Buffer): boolean {
  const [a, b, c, d] = content;
  if (a === 0x80) return b !== undefined && b >= 2 && b <= 5; // pickle PROTO 2-5
  if (a === 0xac) return b === 0xed && c === 0x00 && d === 0x05; // Java serialization
  if (a === 0x00) return content.subarray(0, 9).equals(DOTNET_HEADER); // BinaryFormatter's SerializedStreamHeader
  if (a === 0x04) return b === 0x08; // Ruby Marshal 4.8
  return PHP_SERIALIZED_LEAD.test(content.toString('latin1', 0, 256));
}

const DOTNET_HEADER = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff]);

/** The upload a multipart part (its bytes, head included) gives when its file is a serialized stream. */
export function serializedStreamUpload(field: string, filename: string, part: Buffer | undefined): Upload | undefined {
  if (part === undefined) return undefined;
  const headEnd = blankLineEnd(part.toString('latin1', 0, Math.min(part.length, MAX_PART_HEAD)));
  if (headEnd < 0) return undefined;
  const content = part.subarray(headEnd, headEnd + FILE_BYTES_KEPT);
  return isSerializedStream(content) ? { field, filename, text: content.toString('latin1'), serializedStream: true } : undefined;
}
