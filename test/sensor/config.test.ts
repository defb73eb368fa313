import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@/runtime/cli';
import type { SettingDefinition } from '@/runtime/config';
import { ConfigError, parseSensorCli, readSensorConfig, resolveConfig, SENSOR_SETTINGS } from '@/sensor/config';
import { analyzerTarget, defaultRouteInterface } from '@/sensor/config';

const BASE_ENV = { ANALYZER_URL: 'https://tx-analyzer.example.internal:50051', SENSOR_TOKEN: 't0ken', INTERFACE: 'lo' };

function problems(argv: string[], env: NodeJS.ProcessEnv): readonly string[] {
  try {
    parseSensorCli(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('sensor configuration', () => {
  it("reads the seed's environment names and applies defaults", () => {
    const config = readSensorConfig([], {
      ...BASE_ENV,
      SENSOR_TAGS: 'raap-example.raap-example-deployment, second.tag',
      ANALYZER_TLS_ENABLED: 'true',
      TARGET_ENVIRONMENT: 'docker',
      RUST_LOG: 'info',
      ANALYZER_TLS_CA_PEM: './AmazonRootCA1.pem',
    });
    expect(config).toMatchObject({
      analyzerUrl: 'https://tx-analyzer.example.internal:50051',
      tags: ['raap-example.raap-example-deployment', 'second.tag'],
      analyzerTlsEnabled: true,
      targetEnvironment: 'docker',
      logLevel: 'info',
      analyzerTlsCaPem: './AmazonRootCA1.pem',
      interface: 'lo',
      bodyMaxBytes: 65536,
      batchMaxExchanges: 500,
      spoolMaxBytes: 64 * 1024 * 1024,
      statusPort: 9477,
      sampleRate: 1,
      output: 'analyzer',
    });
    expect(config.sensorId.length).toBeGreaterThan(0);
  });

  it('lets flags override environment variables and accepts --flag=value', () => {
    const config = readSensorConfig(
      ['--body-max-bytes=1024', '--ports', '80,8080', '--analyzer-tls-enabled', 'false', '--analyzer-url', 'http://10.0.0.5:50051'],
      { ...BASE_ENV, BODY_MAX_BYTES: '9' },
    );
    expect(config.bodyMaxBytes).toBe(1024);
    expect(config.ports).toEqual(['80', '8080']);
    expect(config.analyzerTlsEnabled).toBe(false);
  });

  it('takes the log level from LOG_LEVEL or RUST_LOG directives', () => {
    expect(readSensorConfig([], { ...BASE_ENV, RUST_LOG: 'hyper=warn,sensor=debug' }).logLevel).toBe('debug');
    expect(readSensorConfig([], { ...BASE_ENV, RUST_LOG: 'tower=info,warn' }).logLevel).toBe('warn');
    expect(readSensorConfig([], { ...BASE_ENV, RUST_LOG: 'debug', LOG_LEVEL: 'error' }).logLevel).toBe('error');
  });

  it('rejects an unknown option and an option without its value as a usage error, one line naming the option', () => {
    expect(() => parseSensorCli(['--bogus'], BASE_ENV)).toThrow(new UsageError('unknown option --bogus; run tx-prevent-sensor --help for the options'));
    expect(() => parseSensorCli(['--analyzer-url'], BASE_ENV)).toThrow(
      new UsageError('option --analyzer-url needs a value (--analyzer-url VALUE); run tx-prevent-sensor --help for the options'),
    );
    expect(() => parseSensorCli(['extra'], BASE_ENV)).toThrow(new UsageError('unexpected argument "extra"; run tx-prevent-sensor --help for the options'));
  });

  it('answers --help and --version without reading the settings', () => {
    expect(parseSensorCli(['--help', '--body-max-bytes', 'lots'], {})).toEqual({ kind: 'help' });
    expect(parseSensorCli(['--version'], { BODY_MAX_BYTES: 'lots' })).toEqual({ kind: 'version' });
    expect(parseSensorCli(['--check'], BASE_ENV)).toMatchObject({ kind: 'run', check: true });
  });

  it('reads decimal numbers in every written form, and rejects a long malformed one promptly', () => {
    const rate = (value: string) => readSensorConfig(['--sample-rate', value], BASE_ENV).sampleRate;
    expect([rate('0.5'), rate('.25'), rate('1'), rate('5e-1'), rate('2.5E-1')]).toEqual([0.5, 0.25, 1, 0.5, 0.25]);
    expect(problems(['--sample-rate', '1.'], BASE_ENV)).toEqual([
      'SAMPLE_RATE (--sample-rate): "1." from option --sample-rate must be a number in 0.0001..1; expected number 0.0001..1',
    ]);
    // 100,000 digits and a stray character: a backtracking pattern took seconds on this.
    expect(problems(['--sample-rate', `${'0'.repeat(100_000)}-`], BASE_ENV)).toEqual([
      expect.stringMatching(/^SAMPLE_RATE \(--sample-rate\): "0{77}\.\.\." from option --sample-rate must be a number in 0.0001..1/),
    ]);
  });

  it('names the setting and the fix for every bad value, all at once', () => {
    const found = problems(['--body-max-bytes', 'lots', '--sample-rate', '2', '--ports', '80,99999'], {
      SENSOR_TOKEN: 'tok-abc-123',
      SENSOR_TOKEN_SECRET_ID: 'y',
      ANALYZER_TLS_ENABLED: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'BODY_MAX_BYTES (--body-max-bytes): "lots" from option --body-max-bytes must be a whole number in 0..4194304; expected integer 0..4194304',
        'SAMPLE_RATE (--sample-rate): "2" from option --sample-rate must be a number in 0.0001..1; expected number 0.0001..1',
        expect.stringMatching(/^ANALYZER_TLS_ENABLED \(--analyzer-tls-enabled\): "maybe" from environment variable ANALYZER_TLS_ENABLED must be true or false/),
        expect.stringMatching(/^LOG_LEVEL \(--log-level\): "loud" from environment variable LOG_LEVEL must be one of trace, debug, info, warn, error, off/),
        expect.stringMatching(/^ANALYZER_URL \(--analyzer-url\) is required/),
        'PORTS (--ports): "80,99999" from option --ports item 2: must be a TCP port 1-65535; expected comma-separated list of TCP port 1-65535',
        'set only one of SENSOR_TOKEN and SENSOR_TOKEN_SECRET_ID',
      ]),
    );
    expect(found.join('\n')).not.toContain('tok-abc-123');
  });

  it('keeps exchange ids parseable: no ":" in SENSOR_ID', () => {
    expect(problems(['--sensor-id', 'web:1'], BASE_ENV)[0]).toMatch(
      /^SENSOR_ID \(--sensor-id\): "web:1" from option --sensor-id must be letters, digits, "\.", "_" and "-" only/,
    );
    expect(problems(['--redaction-key-id', 'key/1'], BASE_ENV)[0]).toMatch(
      /^REDACTION_KEY_ID \(--redaction-key-id\): "key\/1" from option --redaction-key-id must be letters/,
    );
    expect(problems(['--output', 'file'], BASE_ENV)[0]).toMatch(/^OUTPUT \(--output\): "file" from option --output must be one of analyzer, stdout/);
    expect(problems(['--reconnect-initial-ms', '5000', '--reconnect-max-ms', '1000'], BASE_ENV)).toEqual([
      'RECONNECT_MAX_MS (--reconnect-max-ms) must be at least RECONNECT_INITIAL_MS (5000); got 1000',
    ]);
  });

  it('never echoes secret values in errors', () => {
    const found = problems([], { ...BASE_ENV, REDACTION_KEY: 'super-secret-key', REDACTION_KEY_SECRET_ID: 'id', ANALYZER_TLS_CLIENT_KEY: 'k' });
    expect(found.join('\n')).not.toContain('super-secret-key');
    expect(found).toContain('ANALYZER_TLS_CLIENT_CERT and ANALYZER_TLS_CLIENT_KEY go together: set both or neither');
  });

  it('turns ANALYZER_URL into a gRPC target and rejects unusable URLs', () => {
    expect(analyzerTarget('https://tx-analyzer.corp.internal:50051', true)).toBe('tx-analyzer.corp.internal:50051');
    expect(analyzerTarget('https://analyzer.example', true)).toBe('analyzer.example:443');
    expect(analyzerTarget('https://[::1]:50051', true)).toBe('[::1]:50051');
    const p: string[] = [];
    analyzerTarget('http://plain:50051', true, p);
    analyzerTarget('grpc://x:1', true, p);
    analyzerTarget('https://x:1/path', true, p);
    analyzerTarget('not a url', true, p);
    expect(p).toHaveLength(4);
    expect(p[0]).toContain('ANALYZER_TLS_ENABLED=false');
  });

  it('finds the default-route interface when INTERFACE is omitted', async () => {
    const route =
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nlo\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF\nenX0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\n';
    expect(defaultRouteInterface(route)).toBe('enX0');
    const dir = mkdtempSync(join(tmpdir(), 'sensor-cfg-'));
    try {
      writeFileSync(join(dir, 'route'), route);
      const config = readSensorConfig(['--output', 'stdout'], {});
      const resolved = await resolveConfig(config, { routeFile: join(dir, 'route') });
      expect(resolved.interface).toBe('enX0');
      expect(resolved.tcpdumpFilter).toBe('tcp');
      writeFileSync(join(dir, 'route'), 'Iface\tDestination\n');
      await expect(resolveConfig(config, { routeFile: join(dir, 'route') })).rejects.toThrow(/INTERFACE is not set and there is no default route/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the tcpdump filter from PORTS or BPF_FILTER and rejects shell metacharacters', async () => {
    const a = await resolveConfig(readSensorConfig(['--output', 'stdout', '--interface', 'lo', '--ports', '80,8080'], {}));
    expect(a.tcpdumpFilter).toBe('tcp and (port 80 or port 8080)');
    const b = await resolveConfig(
      readSensorConfig(['--output', 'stdout', '--interface', 'lo', '--ports', '80', '--bpf-filter', 'tcp port 9000 and not host 10.0.0.1'], {}),
    );
    expect(b.tcpdumpFilter).toBe('tcp port 9000 and not host 10.0.0.1');
    expect(problems(['--output', 'stdout', '--bpf-filter', 'tcp; rm -rf /'], {})[0]).toMatch(/BPF_FILTER .*shell metacharacters/);
  });

  it('reads PEM settings from files or inline and explains a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensor-cfg-'));
    try {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      writeFileSync(join(dir, 'ca.pem'), pem);
      const ok = await resolveConfig(readSensorConfig([], { ...BASE_ENV, ANALYZER_TLS_CA_PEM: join(dir, 'ca.pem') }));
      expect(ok.analyzerTlsCaPem).toBe(pem);
      await expect(resolveConfig(readSensorConfig([], { ...BASE_ENV, ANALYZER_TLS_CA_PEM: './AmazonRootCA1.pem' }))).rejects.toThrow(
        /ANALYZER_TLS_CA_PEM names "\.\/AmazonRootCA1\.pem", which does not exist; give the path of a PEM file/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives a stable redaction key id, or makes an ephemeral key when none is set', async () => {
    const a = await resolveConfig(readSensorConfig(['--output', 'stdout', '--interface', 'lo', '--redaction-key', 'k'], {}));
    const b = await resolveConfig(readSensorConfig(['--output', 'stdout', '--interface', 'lo', '--redaction-key', 'k'], {}));
    expect(a.redactionKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(a.redactionKeyId).toBe(b.redactionKeyId);
    const e = await resolveConfig(readSensorConfig(['--output', 'stdout', '--interface', 'lo'], {}));
    expect(e.ephemeralRedactionKey).toBe(true);
    expect(e.redactionKeyId).toMatch(/^ephemeral-/);
  });

  it('documents every setting with a flag, an environment variable and a default', () => {
    const definitions = Object.values(SENSOR_SETTINGS) as SettingDefinition<unknown>[];
    for (const s of definitions) {
      expect(s.flag).toMatch(/^--[a-z0-9-]+$/);
      expect(s.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(s.description.length).toBeGreaterThan(10);
      expect(s.default).toBeDefined();
    }
    expect(new Set(definitions.map((s) => s.flag)).size).toBe(definitions.length);
    expect(new Set(definitions.flatMap((s) => [s.env, ...(s.envAliases ?? [])])).size).toBe(definitions.length + 1);
  });

  describe('secrets from Secrets Manager (a local fake endpoint)', () => {
    let server: Server;
    const saved = { ...process.env };
    const requests: Array<{ target: string; body: { SecretId: string } }> = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          const parsed = JSON.parse(body) as { SecretId: string };
          requests.push({ target: String(req.headers['x-amz-target']), body: parsed });
          const secrets: Record<string, string> = { 'sensor/token': 'token-from-sm', 'sensor/key': JSON.stringify({ key: 'redaction-from-sm' }) };
          const value = secrets[parsed.SecretId];
          res.setHeader('content-type', 'application/x-amz-json-1.1');
          if (value === undefined) {
            res.statusCode = 400;
            res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
          } else {
            res.end(
              JSON.stringify({ ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${parsed.SecretId}`, Name: parsed.SecretId, SecretString: value }),
            );
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
      });
    });

    afterAll(async () => {
      process.env = saved;
      await new Promise((r) => server.close(r));
    });

    it('reads the token and the redaction key (plain or JSON secrets)', async () => {
      const config = readSensorConfig([], {
        ANALYZER_URL: BASE_ENV.ANALYZER_URL,
        INTERFACE: 'lo',
        SENSOR_TOKEN_SECRET_ID: 'sensor/token',
        REDACTION_KEY_SECRET_ID: 'sensor/key',
      });
      const resolved = await resolveConfig(config);
      expect(resolved.token).toBe('token-from-sm');
      expect(resolved.redactionKeyBytes.toString()).toBe('redaction-from-sm');
      expect(requests.map((r) => r.target)).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue']);
    });

    it('explains a secret it cannot read', async () => {
      const config = readSensorConfig([], { ANALYZER_URL: BASE_ENV.ANALYZER_URL, INTERFACE: 'lo', SENSOR_TOKEN_SECRET_ID: 'missing/secret' });
      await expect(resolveConfig(config)).rejects.toThrow(
        /could not read SENSOR_TOKEN_SECRET_ID=missing\/secret from Secrets Manager \(ResourceNotFoundException.*secretsmanager:GetSecretValue/,
      );
    });
  });
});
