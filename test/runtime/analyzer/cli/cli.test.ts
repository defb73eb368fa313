import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_CREDENTIALS, startFakeAwsApi, type FakeAwsApi } from '@/test/runtime/config/fake-aws-api';
import { connectSensor, createTestPki, rm, sensorClient, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CLI = join(ROOT, 'bin', 'tx-prevent-analyzer.ts');
const NODE_ARGS = ['--require', require.resolve('tsx/cjs'), CLI];

describe('tx-prevent-analyzer CLI', () => {
  it('prints every setting with its default and sources for --help', () => {
    const result = spawnSync(process.execPath, [...NODE_ARGS, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: tx-prevent-analyzer');
    expect(result.stdout).toContain('SENSOR_TOKEN  (text, at least 16 characters; default: (unset))');
    expect(result.stdout).toContain('Secrets Manager: /<stack>/sensor-token');
    expect(result.stdout).toContain('SSM parameter: /<STACK_NAME>/analyzer/tenant-id');
  });

  it('exits 2 with one line per problem (no stack trace, no secret) for a bad configuration', () => {
    const result = spawnSync(process.execPath, [...NODE_ARGS], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        SENSOR_TOKEN: 'short-secret',
        ANALYZER_PORT: '99999',
        SPOOL_FULL_POLICY: 'explode',
        TLS_CERT_FILE: '/nonexistent/cert.pem',
      },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('SENSOR_TOKEN: (value hidden) from environment variable SENSOR_TOKEN must be at least 16 characters long');
    expect(result.stderr).toContain('ANALYZER_PORT: "99999" from environment variable ANALYZER_PORT must be in 0..65535');
    expect(result.stderr).toContain('SPOOL_FULL_POLICY: "explode" from environment variable SPOOL_FULL_POLICY must be one of drop_oldest, backpressure');
    expect(result.stderr).not.toContain('short-secret');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  describe('with SSM and Secrets Manager (fake AWS API on 127.0.0.1)', () => {
    let aws: FakeAwsApi;
    let pki: TestPki;
    let spoolDir: string;
    beforeAll(async () => {
      aws = await startFakeAwsApi(2);
      pki = await createTestPki();
      spoolDir = await mkdtemp(join(tmpdir(), 'analyzer-cli-'));
    });
    afterAll(async () => {
      await aws.close();
      await rm(pki.directory, { recursive: true, force: true });
      await rm(spoolDir, { recursive: true, force: true });
    });

    it('reads settings from SSM by path and the token from Secrets Manager, serves, and stops cleanly on SIGTERM', async () => {
      const token = 'token-from-secrets-manager-0123456789';
      aws.parameters.set('/Stack/analyzer/max-stream-age-s', '42');
      aws.parameters.set('/Stack/analyzer/log-level', 'debug');
      aws.parameters.set('/Stack/analyzer/tls-cert-file', pki.certFile);
      aws.parameters.set('/Stack/analyzer/tls-key-file', pki.keyFile);
      aws.secrets.set('/Stack/sensor-token', token);
      const child = spawn(process.execPath, NODE_ARGS, {
        env: {
          PATH: process.env.PATH,
          STACK_NAME: 'Stack',
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: aws.endpoint,
          AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
          ANALYZER_HOST: '127.0.0.1',
          ANALYZER_PORT: '0',
          METRICS_PORT: '0',
          METRICS_EMF_INTERVAL_S: '0',
          SPOOL_DIR: spoolDir,
          SPOOL_MAX_MB: '16',
          SPOOL_SEGMENT_MB: '1',
          SHUTDOWN_TIMEOUT_S: '5',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        await waitFor(() => stderr.includes('"analyzer ready"'), 'analyzer ready', 30_000);
        const ready = JSON.parse(stderr.split('\n').find((line) => line.includes('"analyzer ready"'))!) as { port: number };
        const client = sensorClient(ready.port, pki.ca.cert);
        const sensor = connectSensor(client, token);
        sensor.hello();
        const welcome = await sensor.waitFor('welcome');
        expect(welcome.welcome?.max_stream_age_seconds).toBe(42);
        sensor.end();
        await sensor.status;
        client.close();
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const configuration = stderr.split('\n').find((line) => line.includes('"configuration"'))!;
      expect(configuration).toContain('"SENSOR_TOKEN":"<redacted> (secrets-manager)"');
      expect(configuration).toContain('"MAX_STREAM_AGE_S":"42 (ssm)"');
      expect(stderr).not.toContain(token);
      expect(aws.calls.some((call) => call.operation === 'AmazonSSM.GetParametersByPath' && call.body.Path === '/Stack/analyzer')).toBe(true);
    });
  });
});
