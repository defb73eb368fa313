import { createHmac } from 'node:crypto';
import * as zlib from 'node:zlib';
import { Redactor } from '@/sensor/redact';
import { redactJsonFields } from '@/sensor/redact/json';
import { bodyText, decodeCapture } from './helpers/decode';
import { pcapFile, TcpConversation } from './helpers/pcap-writer';

const key = Buffer.from('test-redaction-key');
const expected = (value: string) => `redacted:k1:${createHmac('sha256', key).update(value).digest('hex').slice(0, 16)}:${Buffer.byteLength(value)}`;

describe('redaction', () => {
  const redactor = new Redactor({ key, keyId: 'k1', headers: ['X-Internal-Secret'], queryParams: ['session'], jsonFields: ['pin'] });

  it('keeps the shape of credentials and hides their value with a keyed hash and length', () => {
    const headers = [
      { name: 'Authorization', value: 'Bearer eyJhbGciOi.secret' },
      { name: 'Proxy-Authorization', value: 'Basic dXNlcjpwYXNz' },
      { name: 'Cookie', value: 'sid=abc123; theme=dark' },
      { name: 'Set-Cookie', value: 'sid=abc123; Path=/; HttpOnly; SameSite=Lax' },
      { name: 'X-Api-Key', value: 'AKIA-key' },
      { name: 'x-internal-secret', value: 'shh' },
      { name: 'x-txprevent-scan', value: 'scan1.1700000000.abcdef' },
      { name: 'Accept', value: 'text/html' },
    ];
    redactor.headers(headers);
    expect(headers).toEqual([
      { name: 'Authorization', value: `Bearer ${expected('eyJhbGciOi.secret')}` },
      { name: 'Proxy-Authorization', value: `Basic ${expected('dXNlcjpwYXNz')}` },
      { name: 'Cookie', value: `sid=${expected('abc123')}; theme=${expected('dark')}` },
      { name: 'Set-Cookie', value: `sid=${expected('abc123')}; Path=/; HttpOnly; SameSite=Lax` },
      { name: 'X-Api-Key', value: expected('AKIA-key') },
      { name: 'x-internal-secret', value: expected('shh') },
      { name: 'x-txprevent-scan', value: 'scan1.1700000000.abcdef' },
      { name: 'Accept', value: 'text/html' },
    ]);
  });

  it('lets the analyzer tell values apart: equal secrets hash equal, different ones differ', () => {
    expect(redactor.value('same')).toBe(redactor.value('same'));
    expect(redactor.value('same')).not.toBe(redactor.value('other'));
    const otherKey = new Redactor({ key: Buffer.from('another key'), keyId: 'k2' });
    expect(otherKey.value('same').split(':')[2]).not.toBe(redactor.value('same').split(':')[2]);
  });

  it('keeps a JWT header and a password hash algorithm in JSON fields and Set-Cookie, never the token or hash', () => {
    const jwt = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"guest"}').toString('base64url')}.`;
    const hash = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8JzYk3cX4b5Q0Yy7vY6HqGqX6yYb5a';
    const body = {
      data: Buffer.from(JSON.stringify({ token: jwt, users: [{ password: hash }, { password: 'plain-text' }] })),
      truncated: false,
      wire_length: 0,
      content_encoding: '',
      decoded: false,
      missing_bytes: 0,
    };
    const headers = [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Set-Cookie', value: `auth=${jwt}; Path=/` },
    ];
    redactor.exchange({ response: { status: 200, headers, body } });
    const header = jwt.slice(0, jwt.indexOf('.') + 1);
    expect(JSON.parse(body.data.toString())).toEqual({
      token: `${header}${expected(jwt)}`,
      users: [{ password: `$2b$10$${expected(hash)}` }, { password: expected('plain-text') }],
    });
    expect(headers[1].value).toBe(`auth=${header}${expected(jwt)}; Path=/`);
    // A bearer JWT keeps its header segment too: the analyzer reads its key id and key URLs, which
    // attackers point at files, SQL and their own hosts; an opaque token keeps no shape.
    const authorization = [
      { name: 'Authorization', value: `Bearer ${jwt}` },
      { name: 'Proxy-Authorization', value: 'Bearer opaque-token-123' },
    ];
    redactor.headers(authorization);
    expect(authorization.map((h) => h.value)).toEqual([`Bearer ${header}${expected(jwt)}`, `Bearer ${expected('opaque-token-123')}`]);
  });

  it('redacts secret query parameters and keeps the rest of the target', () => {
    expect(redactor.target('/cb?code=1&access_token=tok&session=s1&x=2#frag')).toBe(
      `/cb?code=1&access_token=${expected('tok')}&session=${expected('s1')}&x=2#frag`,
    );
    expect(redactor.target('/plain/path')).toBe('/plain/path');
    expect(redactor.target('/p?API%5FKEY=v')).toBe(`/p?API%5FKEY=${expected('v')}`);
  });

  it('redacts JSON fields at any depth, strings and scalars, and keeps formatting', () => {
    const json = Buffer.from('{"user":"bob", "Password" : "hunter2", "nested":{"token":"t0k","pin":1234},"list":[{"secret":null}],"note":"password"}');
    const out = redactJsonFields(json, new Set(['password', 'token', 'pin', 'secret']), (raw) => `R(${raw.toString()})`);
    expect(out.toString()).toBe(
      '{"user":"bob", "Password" : "R(hunter2)", "nested":{"token":"R(t0k)","pin":"R(1234)"},"list":[{"secret":"R(null)"}],"note":"password"}',
    );
    expect(JSON.parse(out.toString()).nested.pin).toBe('R(1234)');
  });

  it('redacts a JSON value cut off by the capture cap, and survives escapes', () => {
    const cut = Buffer.from('{"a":"x\\"y","password":"hunter');
    expect(redactJsonFields(cut, new Set(['password']), (raw) => `R(${raw})`).toString()).toBe('{"a":"x\\"y","password":"R(hunter)"');
  });

  it('redacts request and response bodies (JSON, form, gzip-decoded) in captured exchanges', () => {
    const c = new TcpConversation().handshake();
    const form = 'user=bob&password=hunter2';
    c.send(
      'client',
      `POST /login?token=abc HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    );
    const json = zlib.gzipSync('{"access_token":"jwt.value","expires":3600}');
    c.send(
      'server',
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Encoding: gzip\r\nSet-Cookie: s=1; Secure\r\nContent-Length: ${json.length}\r\n\r\n`,
        ),
        json,
      ]),
    );
    c.close();
    const [e] = decodeCapture(pcapFile('ethernet', c.frames)).exchanges;
    redactor.exchange(e);
    expect(e.request!.target).toBe(`/login?token=${expected('abc')}`);
    expect(bodyText(e.request!.body)).toBe(`user=bob&password=${expected('hunter2')}`);
    expect(JSON.parse(bodyText(e.response!.body))).toEqual({ access_token: expected('jwt.value'), expires: 3600 });
    expect(e.response!.headers!.find((h) => h.name === 'Set-Cookie')!.value).toBe(`s=${expected('1')}; Secure`);
  });
});
