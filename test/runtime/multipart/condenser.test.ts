import fc from 'fast-check';
import {
  ARCHIVE_FILE_BYTES_KEPT,
  condenseMultipart,
  FILE_BYTES_KEPT,
  isTextualUpload,
  MultipartCondenser,
  multipartBoundary,
  partDisposition,
  TEXT_FILE_BYTES_KEPT,
} from '@/runtime/multipart';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

interface Part {
  readonly name: string;
  readonly file?: string;
  readonly content: string;
}

function body(parts: readonly Part[], boundary: string, eol: string): Buffer {
  const text = parts
    .map((p) => {
      const disposition = `Content-Disposition: form-data; name="${p.name}"${p.file === undefined ? '' : `; filename="${p.file}"`}`;
      return `--${boundary}${eol}${disposition}${eol}${p.file === undefined ? '' : `Content-Type: application/octet-stream${eol}`}${eol}${p.content}${eol}`;
    })
    .join('');
  return Buffer.from(`${text}--${boundary}--${eol}`, 'latin1');
}

/** The analyzer's reading of a multipart body (names and values of its fields, file names). */
function fields(data: Buffer, boundary: string): Array<[string, string]> {
  const limits = resolveLimits({ maxBodyBytes: 64 * 1024 * 1024 });
  const view = viewRequest(
    buildExchange({ method: 'POST', target: '/u', requestHeaders: [['Content-Type', `multipart/form-data; boundary=${boundary}`]], requestBody: data }),
    limits,
  );
  return view.bodyParams.map((p) => [p.name, p.value]);
}

function condensedInChunks(data: Buffer, boundary: string, sizes: readonly number[]): { data: Buffer; elided: number } {
  const out: Buffer[] = [];
  const condenser = new MultipartCondenser(boundary, (bytes) => out.push(Buffer.from(bytes)));
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    condenser.push(data.subarray(at, at + size));
    at += size;
  }
  condenser.end();
  return { data: Buffer.concat(out), elided: condenser.elided };
}

const part: fc.Arbitrary<Part> = fc.record(
  {
    name: fc.stringMatching(/^[a-z]{1,8}$/),
    file: fc.stringMatching(/^[a-z]{1,8}\.(?:png|php|txt)$/),
    content: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 1000, maxLength: 2000 }), fc.constantFrom('--', '\r\n--', '\n-', '--X')),
  },
  { requiredKeys: ['name', 'content'] },
);

describe('multipart condensing', () => {
  it('keeps every field and file name and the first bytes of each file, however the body is split', () => {
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('XX', '----WebKitFormBoundaryA1b2', 'b'),
        fc.constantFrom('\r\n', '\n'),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        (parts, boundary, eol, sizes) => {
          fc.pre(parts.every((p) => !p.content.includes(`--${boundary}`)));
          const original = body(parts, boundary, eol);
          const whole = condenseMultipart(original, boundary);
          expect(condensedInChunks(original, boundary, sizes)).toEqual(whole);
          expect(fields(whole.data, boundary)).toEqual(fields(original, boundary));
          // A CRLF's CR before a delimiter is the part's last byte as the condenser sees it.
          const contentBytes = (p: Part) => Buffer.byteLength(p.content, 'latin1') + eol.length - 1;
          const kept = (p: Part) => (p.file!.endsWith('.php') ? TEXT_FILE_BYTES_KEPT : FILE_BYTES_KEPT);
          const fileBytes = parts.filter((p) => p.file !== undefined).reduce((n, p) => n + Math.max(0, contentBytes(p) - kept(p)), 0);
          expect(whole.elided).toBe(fileBytes);
          expect(whole.data.length).toBe(original.length - fileBytes);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('finds the field after a 5 MB file in a body read only to 256 KiB', () => {
    const upload = body(
      [
        { name: 'avatar', file: 'me.png', content: 'x'.repeat(5 * 1024 * 1024) },
        { name: 'comment', content: "1' UNION SELECT password FROM users--" },
      ],
      'XX',
      '\r\n',
    );
    const view = viewRequest(
      buildExchange({ method: 'POST', target: '/u', requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']], requestBody: upload }),
      resolveLimits(undefined),
    );
    expect(view.bodyParams.map((p) => [p.name, p.value])).toEqual([
      ['avatar.filename', 'me.png'],
      ['comment', "1' UNION SELECT password FROM users--"],
    ]);
  });

  it('keeps more of a file that is markup or code, which the detectors read', () => {
    const upload = (file: string, type: string) =>
      condenseMultipart(
        Buffer.from(
          `--XX\r\nContent-Disposition: form-data; name="f"; filename="${file}"\r\nContent-Type: ${type}\r\n\r\n${'a'.repeat(100_000)}\r\n--XX--\r\n`,
        ),
        'XX',
      ).elided;
    expect(upload('logo.svg', 'image/svg+xml')).toBe(100_001 - TEXT_FILE_BYTES_KEPT);
    expect(upload('page', 'text/html; charset=utf-8')).toBe(100_001 - TEXT_FILE_BYTES_KEPT);
    expect(upload('photo.png', 'image/png')).toBe(100_001 - FILE_BYTES_KEPT);
    expect(upload('notes.txt', 'text/plain')).toBe(100_001 - FILE_BYTES_KEPT);
    expect(upload('products.csv', 'application/vnd.ms-excel')).toBe(100_001 - TEXT_FILE_BYTES_KEPT);
    expect(upload('export', 'text/csv')).toBe(100_001 - TEXT_FILE_BYTES_KEPT);
    expect(upload('cv.docx', 'application/octet-stream')).toBe(100_001 - ARCHIVE_FILE_BYTES_KEPT);
    expect(upload('upload.bin', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(100_001 - ARCHIVE_FILE_BYTES_KEPT);
    expect(upload('app.war', 'application/java-archive')).toBe(100_001 - ARCHIVE_FILE_BYTES_KEPT);
    expect(upload('photos.tar.gz', 'application/gzip')).toBe(100_001 - FILE_BYTES_KEPT);
    expect(isTextualUpload('Content-Disposition: form-data; name="f"; filename=shell.php\r\nContent-Type: image/jpeg')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="f"; filename="shell.php.png"\r\nContent-Type: image/png')).toBe(false);
    // Subtitles: web players put their cue markup in the page.
    expect(isTextualUpload('Content-Disposition: form-data; name="file"; filename="movie.en.vtt"\r\nContent-Type: text/vtt')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="sub"; filename="matrix.srt"\r\nContent-Type: application/octet-stream')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="sub"; filename="ep01"\r\nContent-Type: text/x-ssa')).toBe(true);
  });

  it("reads a file name as long as an exploit's (Struts' OGNL runs to kilobytes), quoted or not", () => {
    const ognl = `%{(#cmd='whoami').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd})).(#x='${'a'.repeat(1500)}')} b`;
    expect(partDisposition(`Content-Disposition: form-data; name="upload"; filename="${ognl}"`).filename).toBe(ognl);
    expect(partDisposition(`Content-Disposition: form-data; name="upload"; filename=${'n'.repeat(3000)}.php`).filename).toBe(`${'n'.repeat(3000)}.php`);
  });

  it('reads what a lenient parser takes as the file name when text follows a quoted one', () => {
    const head = 'Content-Disposition: form-data; name="resume"; filename=""><img src=x onerror=alert(1)>.pdf"';
    expect(partDisposition(head)).toEqual({ name: 'resume', filename: '', otherFilename: '"><img src=x onerror=alert(1)>.pdf' });
    expect(partDisposition('Content-Disposition: form-data; name="f"; filename="cv.pdf"; size=3').otherFilename).toBeUndefined();
  });

  it('reads a quoted file name with escaped quotes as PHP does, where strict parsers end it early', () => {
    const head = 'Content-Disposition: form-data; name="_file[]"; filename="x|s:5:\\"a;b\\\\c\\";O:1:\\"A\\":0:{}"';
    expect(partDisposition(head)).toEqual({ name: '_file[]', filename: 'x|s:5:\\', otherFilename: 'x|s:5:"a;b\\c";O:1:"A":0:{}' });
    // A Windows path sent by an old browser keeps its backslashes, and needs no second reading.
    expect(partDisposition('Content-Disposition: form-data; name="f"; filename="C:\\Users\\ann\\cv.pdf"')).toEqual({
      name: 'f',
      filename: 'C:\\Users\\ann\\cv.pdf',
    });
  });

  it('reads the boundary of a Content-Type as a parameter, and none where parsers would disagree', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----WebKitFormBoundaryA1')).toBe('----WebKitFormBoundaryA1');
    expect(multipartBoundary('multipart/form-data; boundary="a b"; charset=utf-8')).toBe('a b');
    expect(multipartBoundary('multipart/form-data;boundary=XX')).toBe('XX');
    expect(multipartBoundary('multipart/form-data; xboundary=AAA; boundary=BB')).toBe('BB');
    expect(multipartBoundary('multipart/form-data; boundary=AA; boundary=BB')).toBeUndefined();
    expect(multipartBoundary(`multipart/form-data; boundary=${'b'.repeat(71)}`)).toBeUndefined();
    expect(multipartBoundary('multipart/form-data; boundary=')).toBeUndefined();
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });

  it('takes a part for a file only by its Content-Disposition filename, as the field reader does', () => {
    const pad = 'p'.repeat(1100);
    for (const head of [
      'Content-Disposition: form-data; name="q"; x-filename="a.png"',
      'Content-Disposition: form-data; name="filename=1"',
      'Content-Disposition: form-data; name="q"\r\nContent-Type: text/plain; filename=a.png',
    ]) {
      const raw = Buffer.from(`--XX\r\n${head}\r\n\r\n${pad}' UNION SELECT 1--\r\n--XX--\r\n`);
      expect({ head, condensed: condenseMultipart(raw, 'XX') }).toEqual({ head, condensed: { data: raw, elided: 0 } });
      expect(fields(raw, 'XX')[0]![1]).toBe(`${pad}' UNION SELECT 1--`);
    }
    expect(isTextualUpload('Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'shell.php')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="f"; filename="a.jpg"; filename*=UTF-8\'\'shell.php\r\nContent-Type: image/jpeg')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="f"; filename="a.phps"')).toBe(true);
    expect(isTextualUpload('Content-Disposition: form-data; name="f"\r\nContent-Type: text/html')).toBe(false);
  });
});
