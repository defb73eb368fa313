import * as grpc from '@grpc/grpc-js';
import { HealthService } from '@/runtime/health';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type HealthClient } from '@/runtime/proto';
import { selfSignedCertificate } from '@/runtime/tls';

describe('HealthService over gRPC with TLS', () => {
  let server: grpc.Server;
  let client: HealthClient;
  const health = new HealthService(['', 'txprevent.v1.SensorIngest']);

  beforeAll(async () => {
    const tls = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
    server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
    health.addTo(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }]),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    const Health = loadTxPreventGrpc().grpc.health.v1.Health;
    client = new Health(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(tls.cert)), GRPC_CHANNEL_OPTIONS);
  });
  afterAll(async () => {
    client.close();
    health.endWatches();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  const check = (service: string) =>
    new Promise<{ status?: string; code?: number }>((resolve) =>
      client.Check({ service }, (error, response) => resolve(error ? { code: error.code } : { status: response?.status })),
    );

  it('answers NOT_SERVING until ready, then SERVING, and NOT_FOUND for unknown services', async () => {
    expect(await check('')).toEqual({ status: 'NOT_SERVING' });
    health.setAll('SERVING');
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('txprevent.v1.SensorIngest')).toEqual({ status: 'SERVING' });
    expect(await check('nope')).toEqual({ code: grpc.status.NOT_FOUND });
  });

  it('streams status changes to Watch, and SERVICE_UNKNOWN for an unknown service', async () => {
    health.setStatus('', 'SERVING');
    const seen: string[] = [];
    const call = client.Watch({ service: '' });
    call.on('error', () => undefined); // the CANCELLED status after cancel()
    const done = new Promise<void>((resolve) => {
      call.on('data', (response: { status: string }) => {
        seen.push(response.status);
        if (seen.length === 1) health.setStatus('', 'NOT_SERVING');
        if (seen.length === 2) health.setStatus('', 'SERVING');
        if (seen.length === 3) resolve();
      });
    });
    await done;
    call.cancel();
    expect(seen).toEqual(['SERVING', 'NOT_SERVING', 'SERVING']);

    const unknown = client.Watch({ service: 'other' });
    unknown.on('error', () => undefined);
    const first = await new Promise<string>((resolve) => unknown.once('data', (response: { status: string }) => resolve(response.status)));
    unknown.cancel();
    expect(first).toBe('SERVICE_UNKNOWN');
  });
});
