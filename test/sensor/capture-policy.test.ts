/**
 * The sensor's response-body capture policy (RESPONSE_BODY_SKIP_TYPES): which bodies it keeps only
 * as their signature, what it sends for them, and that the analyzer makes exactly the same events
 * and inventory of a skipped body as of the whole one — the reason the policy is safe.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { HttpExchange__Output } from '@/runtime/proto';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { ConfigError, readSensorConfig } from '@/sensor/config';
import { DEFAULT_RESPONSE_BODY_SKIP_TYPES, ResponseBodyPolicy, SKIPPED_BODY_SIGNATURE_BYTES, skipTypeProblem } from '@/sensor/http';
import { buildExchange, createTrafficGenerator } from '../fixtures/traffic';
import { bodyText, decodeCapture } from './helpers/decode';
import { pcapFile, TcpConversation } from './helpers/pcap-writer';

const CAP = 64 * 1024;

describe('response body capture policy', () => {
  const policy = new ResponseBodyPolicy();

  it('skips images, audio, video and fonts, with or without parameters, in any case', () => {
    for (const type of [
      'image/png',
      'IMAGE/WebP',
      'image/jpeg; q=0.9',
      ' video/mp4 ',
      'audio/mpeg',
      'font/woff2',
      'application/font-woff',
      'application/vnd.ms-fontobject',
    ])
      expect([type, policy.captureBytes(type, CAP)]).toEqual([type, SKIPPED_BODY_SIGNATURE_BYTES]);
  });

  it('captures every type the analyzer reads: text, JSON, XML, SVG, scripts, octet-stream and unlabelled bodies', () => {
    for (const type of [
      '',
      'text/html; charset=utf-8',
      'application/json',
      'application/problem+json',
      'image/svg+xml',
      'application/javascript',
      'text/css',
      'application/xml',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      'application/pdf',
      'imagefoo',
    ])
      expect([type, policy.captureBytes(type, CAP)]).toEqual([type, CAP]);
  });

  it('never keeps more than the body cap', () => {
    expect(policy.captureBytes('image/png', 10)).toBe(10);
    expect(policy.captureBytes('text/plain', 10)).toBe(10);
  });

  it('follows the configured list; an empty list captures everything', () => {
    const custom = new ResponseBodyPolicy(['application/zip', 'video/*']);
    expect(custom.captureBytes('application/zip', CAP)).toBe(SKIPPED_BODY_SIGNATURE_BYTES);
    expect(custom.captureBytes('video/webm', CAP)).toBe(SKIPPED_BODY_SIGNATURE_BYTES);
    expect(custom.captureBytes('image/png', CAP)).toBe(CAP);
    expect(new ResponseBodyPolicy([]).captureBytes('image/png', CAP)).toBe(CAP);
  });

  it('rejects entries that are not media types, naming the setting', () => {
    for (const bad of ['image', 'image/', '*/*', 'image/png; q=1', 'a/b/c', 'image/pn g']) {
      expect(skipTypeProblem(bad)).toMatch(/^RESPONSE_BODY_SKIP_TYPES \(--response-body-skip-types\) entries are media types/);
      expect(() => new ResponseBodyPolicy([bad])).toThrow(/RESPONSE_BODY_SKIP_TYPES/);
    }
    expect(skipTypeProblem('image/*')).toBeUndefined();
    expect(skipTypeProblem('application/vnd.ms-fontobject')).toBeUndefined();
  });

  it('is a sensor setting: the default list, a custom list from the environment, an empty one, and a bad one', () => {
    const env = { ANALYZER_URL: 'https://tx-analyzer.example.internal:50051', SENSOR_TOKEN: 't0ken', INTERFACE: 'lo' };
    expect(readSensorConfig([], env).responseBodySkipTypes).toEqual(DEFAULT_RESPONSE_BODY_SKIP_TYPES);
    expect(readSensorConfig([], { ...env, RESPONSE_BODY_SKIP_TYPES: 'image/*, application/zip' }).responseBodySkipTypes).toEqual([
      'image/*',
      'application/zip',
    ]);
    expect(readSensorConfig(['--response-body-skip-types', ''], env).responseBodySkipTypes).toEqual([]);
    let problems: readonly string[] = [];
    try {
      readSensorConfig([], { ...env, RESPONSE_BODY_SKIP_TYPES: 'image/*,images' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^RESPONSE_BODY_SKIP_TYPES \(--response-body-skip-types\): .*"images" is not a media type/)]);
  });
});

describe('the decoder applies the policy to responses only', () => {
  const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(100_000)]);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>${'<rect/>'.repeat(500)}</svg>`;
  const leaked = `DB_PASSWORD=hunter2\n${'X=1\n'.repeat(1000)}`;

  function capture(options: { responseBodies?: ResponseBodyPolicy; maxBodyBytes?: number } = { responseBodies: new ResponseBodyPolicy() }) {
    const c = new TcpConversation({ mss: 1400 }).handshake();
    const respond = (type: string, body: Buffer | string, extra = '') =>
      Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`), Buffer.from(body)]);
    c.send('client', 'GET /logo.png HTTP/1.1\r\nHost: app\r\n\r\n').send('server', respond('image/png', png));
    const chunks = png.subarray(0, 50_000);
    c.send('client', 'GET /hero.webp HTTP/1.1\r\nHost: app\r\n\r\n').send(
      'server',
      Buffer.concat([
        Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/webp\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.length.toString(16)}\r\n`),
        chunks,
        Buffer.from('\r\n0\r\n\r\n'),
      ]),
    );
    const gz = zlib.gzipSync(png);
    c.send('client', 'GET /font.woff2 HTTP/1.1\r\nHost: app\r\n\r\n').send('server', respond('font/woff2', gz, 'Content-Encoding: gzip\r\n'));
    c.send('client', 'GET /icon.svg HTTP/1.1\r\nHost: app\r\n\r\n').send('server', respond('image/svg+xml', svg));
    c.send('client', 'GET /.env HTTP/1.1\r\nHost: app\r\n\r\n').send('server', respond('application/octet-stream', leaked));
    c.send('client', `PUT /avatar HTTP/1.1\r\nHost: app\r\nContent-Type: image/png\r\nContent-Length: ${png.length}\r\n\r\n`).send('client', png);
    c.send('server', respond('application/json', '{"ok":true}'));
    c.send('client', 'GET /after HTTP/1.1\r\nHost: app\r\n\r\n').send('server', respond('text/plain', 'still in sync'));
    c.close();
    return decodeCapture(pcapFile('ethernet', c.frames), options).exchanges;
  }

  it('keeps the signature, the wire length and the truncated flag of skipped bodies, and stays in sync after them', () => {
    const [image, chunked, font, icon, env, upload, after] = capture();
    for (const [exchange, wire] of [
      [image, png.length],
      [chunked, 50_000],
    ] as const) {
      const body = exchange!.response!.body!;
      expect(Buffer.from(body.data as Buffer)).toEqual(png.subarray(0, SKIPPED_BODY_SIGNATURE_BYTES));
      expect(Number(body.wire_length)).toBe(wire);
      expect(body.truncated).toBe(true);
    }
    // A compressed skipped body is sent as captured: a prefix of it decodes to next to nothing.
    const fontBody = font!.response!.body!;
    expect(Buffer.from(fontBody.data as Buffer)).toEqual(zlib.gzipSync(png).subarray(0, SKIPPED_BODY_SIGNATURE_BYTES));
    expect([fontBody.decoded, fontBody.content_encoding, fontBody.truncated]).toEqual([false, 'gzip', true]);
    expect(bodyText(icon!.response!.body)).toBe(svg);
    expect(bodyText(env!.response!.body)).toBe(leaked);
    expect(Buffer.from(upload!.request!.body!.data as Buffer)).toEqual(png.subarray(0, CAP));
    expect(bodyText(after!.response!.body)).toBe('still in sync');
  });

  it('keeps a skipped body to the capture cap when the cap is below the signature size', () => {
    const [image, , , , env, , after] = capture({ responseBodies: new ResponseBodyPolicy(), maxBodyBytes: 16 });
    expect(Buffer.from(image!.response!.body!.data as Buffer)).toEqual(png.subarray(0, 16));
    expect(bodyText(env!.response!.body)).toBe(leaked.slice(0, 16));
    expect(bodyText(after!.response!.body)).toBe('still in sync');
  });

  it('without a policy (the decoder default) captures every body up to the cap', () => {
    const [image] = capture({});
    expect(Buffer.from(image!.response!.body!.data as Buffer)).toEqual(png.subarray(0, CAP));
  });
});

describe('what the analyzer makes of a skipped body', () => {
  // Bytes an analyzer that read images would react to: an SQL error, a cloud key, /etc/passwd, a stack trace.
  const telling = Buffer.from(
    "You have an error in your SQL syntax; check the manual near ''' at line 1\nAKIAIOSFODNN7EXAMPLE\nroot:x:0:0:root:/root:/bin/bash\n" +
      'java.lang.NullPointerException\n\tat com.example.App.main(App.java:10)\n',
  );

  function traffic(): HttpExchange__Output[] {
    const media = ['image/png', 'image/webp', 'font/woff2', 'video/mp4', 'audio/mpeg'];
    const exchanges = createTrafficGenerator({ seed: 11, attackRatio: 0.2 }).batch(400);
    exchanges.push(
      buildExchange({ target: '/.env', responseHeaders: [['Content-Type', 'image/png']], responseBody: Buffer.concat([telling, randomBytes(2000)]) }),
      buildExchange({ target: '/download?file=../../etc/passwd', responseHeaders: [['Content-Type', 'image/gif']], responseBody: telling }),
    );
    return exchanges.map((exchange, index) => {
      if (index % 3 !== 0 || !exchange.response) return exchange;
      const data = Buffer.concat([telling, randomBytes(5000)]);
      const type = media[index % media.length]!;
      const headers = [...exchange.response.headers.filter((h) => h.name.toLowerCase() !== 'content-type'), { name: 'Content-Type', value: type }];
      return { ...exchange, response: { ...exchange.response, headers, body: { ...exchange.response.body!, data, wire_length: data.length } } };
    });
  }

  function skipped(exchange: HttpExchange__Output, policy: ResponseBodyPolicy): HttpExchange__Output {
    const response = exchange.response;
    if (!response?.body) return exchange;
    const type = response.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
    const keep = policy.captureBytes(type, CAP);
    if (keep >= response.body.data.length) return exchange;
    return { ...exchange, response: { ...response, body: { ...response.body, data: response.body.data.subarray(0, keep), truncated: true } } };
  }

  it('the same events, counters and inventory as of the whole body', () => {
    const policy = new ResponseBodyPolicy();
    const exchanges = traffic();
    const cut = exchanges.map((e) => skipped(e, policy));
    expect(cut.filter((e, i) => e !== exchanges[i]).length).toBeGreaterThan(100);
    const run = (input: HttpExchange__Output[]) => {
      const engine = createAnalysisEngine();
      const events = input.flatMap((exchange) => engine.analyze(exchange, { sensorId: 's', sensorTags: [] }));
      // Clock readings differ between the runs; everything else must not. A finding carries its
      // exchange as evidence for the scanner, whose bodies are what the sensor sent (the scanner
      // reads only their wire_length): everything decided from them must match.
      const stable = (value: unknown, replacer?: (key: string, v: unknown) => unknown) =>
        JSON.stringify(value, replacer).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|"(?:timestamp|first_seen|last_seen)":\d+/g, 'T');
      const bodyLength = (_key: string, v: unknown) => (v !== null && typeof v === 'object' && 'wire_length' in v ? { wire_length: v.wire_length } : v);
      return { events: stable(events, bodyLength), counters: engine.counters(), openApi: stable(engine.openApi()) };
    };
    const whole = run(exchanges);
    expect(whole.counters.match_events).toBeGreaterThan(0);
    expect(run(cut)).toEqual(whole);
  });
});
