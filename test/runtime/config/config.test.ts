import { ConfigError, defineSettings, loadSettings, parsers, renderSettingsHelp, renderSettingsMarkdown, setting } from '@/runtime/config';
import { createAwsClients } from '@/runtime/config/aws-clients';
import { FAKE_CREDENTIALS, startFakeAwsApi, type FakeAwsApi } from './fake-aws-api';

const definitions = defineSettings({
  port: setting(parsers.integer({ min: 1, max: 65535 }), { env: 'ANALYZER_PORT', ssm: 'port', default: 50051, description: 'gRPC listen port.' }),
  logLevel: setting(parsers.oneOf(['error', 'warn', 'info', 'debug'] as const), {
    env: 'LOG_LEVEL',
    ssm: 'log-level',
    default: 'info' as const,
    description: 'Log level.',
  }),
  tenant: setting(parsers.text({ minLength: 1 }), { env: 'TENANT_ID', ssm: 'tenant-id', description: 'ThreatX tenant.' }),
  apiKey: setting(parsers.text({ minLength: 8 }), { env: 'API_KEY', secretId: '/{stack}/api-key', secret: true, description: 'ThreatX API key.' }),
  token: setting(parsers.text({ minLength: 16 }), {
    env: 'SENSOR_TOKEN',
    ssm: 'sensor-token',
    secretId: '/{stack}/sensor-token',
    secret: true,
    required: true,
    description: 'Sensor bearer token.',
  }),
  tags: setting(parsers.list(parsers.text({ minLength: 1 })), { env: 'ANALYZER_TAGS', default: [] as string[], description: 'Tags.' }),
});

describe('loadSettings', () => {
  let aws: FakeAwsApi;
  beforeEach(async () => {
    aws = await startFakeAwsApi(2);
  });
  afterEach(async () => {
    await aws.close();
  });
  const clients = () => createAwsClients({ region: 'us-east-1', endpoint: aws.endpoint, credentials: FAKE_CREDENTIALS });

  it('takes env first, then SSM (paginated, decrypted), then Secrets Manager, then the default', async () => {
    aws.parameters.set('/Stack/analyzer/port', '6000');
    aws.parameters.set('/Stack/analyzer/log-level', 'debug');
    aws.parameters.set('/Stack/analyzer/tenant-id', 'testco');
    aws.parameters.set('/Stack/other/tenant-id', 'not-mine');
    aws.parameters.set('/Stack/analyzer/unrelated', 'x');
    aws.parameters.set('/Stack/analyzer/nested/deeper', 'y');
    aws.secrets.set('/Stack/api-key', 'api-key-from-secrets');
    aws.secrets.set('/Stack/sensor-token', 'sensor-token-from-secrets-manager');
    const loaded = await loadSettings(definitions, { env: { LOG_LEVEL: 'warn' }, ssmPath: '/Stack/analyzer', stackName: 'Stack', ...clients() });
    expect(loaded.values).toEqual({
      port: 6000,
      logLevel: 'warn',
      tenant: 'testco',
      apiKey: 'api-key-from-secrets',
      token: 'sensor-token-from-secrets-manager',
      tags: [],
    });
    expect(loaded.sources).toEqual({ port: 'ssm', logLevel: 'env', tenant: 'ssm', apiKey: 'secrets-manager', token: 'secrets-manager', tags: 'default' });
    const ssmCalls = aws.calls.filter((call) => call.operation === 'AmazonSSM.GetParametersByPath');
    expect(ssmCalls.length).toBe(3); // 5 parameters under the path, 2 per page
    expect(ssmCalls[0]?.body).toMatchObject({ Path: '/Stack/analyzer', Recursive: true, WithDecryption: true });
    const described = loaded.describe();
    expect(described.API_KEY).toBe('<redacted> (secrets-manager)');
    expect(JSON.stringify(described)).not.toContain('sensor-token-from-secrets-manager');
  });

  it('does not call AWS for values the environment already gives', async () => {
    const loaded = await loadSettings(definitions, {
      env: { ANALYZER_PORT: '7000', TENANT_ID: 't', API_KEY: 'k'.repeat(8), SENSOR_TOKEN: 's'.repeat(16), LOG_LEVEL: 'INFO', ANALYZER_TAGS: 'a, b,,c' },
      ssmPath: '/Stack/analyzer/',
      stackName: 'Stack',
      ...clients(),
    });
    expect(aws.calls).toEqual([]);
    expect(loaded.values.tags).toEqual(['a', 'b', 'c']);
    expect(loaded.values.logLevel).toBe('info');
  });

  it('reports every problem at once, naming the setting and the fix, never a secret value', async () => {
    aws.secrets.set('/Stack/api-key', 'short');
    const error = await loadSettings(definitions, { env: { ANALYZER_PORT: '70000', LOG_LEVEL: 'loud' }, stackName: 'Stack', ...clients() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('ANALYZER_PORT: "70000" from environment variable ANALYZER_PORT must be in 1..65535');
    expect(message).toContain('LOG_LEVEL: "loud" from environment variable LOG_LEVEL must be one of error, warn, info, debug');
    expect(message).toContain('API_KEY: (value hidden) from secret /Stack/api-key must be at least 8 characters long');
    expect(message).toContain('SENSOR_TOKEN is required');
    expect(message).toContain('secret /Stack/sensor-token');
    expect(message).not.toContain('short');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('turns AWS access errors into a problem that names the path and the permission', async () => {
    aws.failures.set('AmazonSSM.GetParametersByPath', 'AccessDeniedException');
    aws.failures.set('secretsmanager.GetSecretValue', 'AccessDeniedException');
    const error = (await loadSettings(definitions, { env: {}, ssmPath: '/Stack/analyzer/', stackName: 'Stack', ...clients() }).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('reading SSM parameters under /Stack/analyzer/ failed (AccessDeniedException); allow ssm:GetParametersByPath');
    expect(error.message).toContain('SENSOR_TOKEN: reading secret /Stack/sensor-token failed (AccessDeniedException); allow secretsmanager:GetSecretValue');
  });

  it('generates the docs table and --help text from the same definitions', () => {
    const table = renderSettingsMarkdown(definitions, '/<stack>/analyzer/');
    expect(table.split('\n')[2]).toBe('| env `ANALYZER_PORT`, SSM `/<stack>/analyzer/port` | integer 1..65535 | 50051 | gRPC listen port. |');
    expect(table).toContain('| env `API_KEY`, secret `/<stack>/api-key` | text, at least 8 characters | (unset) | ThreatX API key. Secret: never logged. |');
    const help = renderSettingsHelp(definitions, '/<stack>/analyzer/');
    expect(help).toContain('SENSOR_TOKEN  (text, at least 16 characters; default: (required))');
  });
});

describe('parsers', () => {
  it('accept good values and explain bad ones', () => {
    expect(parsers.boolean().parse('Yes')).toBe(true);
    expect(() => parsers.boolean().parse('maybe')).toThrow('must be true or false');
    expect(parsers.url({ protocols: ['https'] }).parse('https://h:1/p').port).toBe('1');
    expect(() => parsers.url({ protocols: ['https'] }).parse('http://h')).toThrow('must use https (got http)');
    expect(() => parsers.url({ protocols: ['https'] }).parse('h:1')).toThrow('must use https');
    expect(() => parsers.url({ protocols: ['https'] }).parse('not a url')).toThrow('must be an absolute URL');
    expect(parsers.hostname().parse('gw.example.com:8443')).toBe('gw.example.com:8443');
    expect(() => parsers.hostname().parse('https://gw/')).toThrow('without scheme or path');
    expect(() => parsers.integer({ min: 0 }).parse('1.5')).toThrow('must be a whole number');
    expect(() => parsers.list(parsers.integer()).parse('1,x')).toThrow('item 2: must be a whole number');
    expect(parsers.secretKey(32).parse('k'.repeat(32)).length).toBe(32);
    expect(() => parsers.secretKey(32).parse('k')).toThrow('openssl rand -hex 32');
    expect(parsers.json('object', (value) => value as { a: number }).parse('{"a":1}')).toEqual({ a: 1 });
    expect(() => parsers.json('object', (value) => value).parse('{')).toThrow('must be valid JSON');
    // The parser's position detail is cut (Node 20 words it "in JSON at position N"), the reason kept.
    const jsonError = (() => {
      try {
        parsers.json('object', (value) => value).parse(`{"a":}${' in JSON at position'.repeat(20_000)}`);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(jsonError).toMatch(/^must be valid JSON \(Unexpected token/);
    expect(jsonError).not.toContain('at position');
    expect(() => parsers.pem('CERTIFICATE').parse('abc')).toThrow('-----BEGIN CERTIFICATE-----');
  });
});
