import * as grpc from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc } from '@/runtime/proto';
import { issue } from '@/runtime/tls';
import { connectSensor, createTestPki, rm, sensorClient, startTestAnalyzer } from '../analyzer-fixture';

describe('analyzer with mutual TLS (direct links)', () => {
  it('accepts a sensor presenting a client certificate from TLS_CLIENT_CA_FILE without a token, and still accepts the token', async () => {
    const pki = await createTestPki();
    const test = await startTestAnalyzer(pki, { TLS_CLIENT_CA_FILE: pki.caFile });
    const sensorCert = await issue({ commonName: 'sensor-direct', clientAuth: true }, pki.ca);
    const SensorIngest = loadTxPreventGrpc().txprevent.v1.SensorIngest;
    const mtlsClient = new SensorIngest(
      `127.0.0.1:${test.analyzer.port}`,
      grpc.credentials.createSsl(Buffer.from(pki.ca.cert), Buffer.from(sensorCert.key), Buffer.from(sensorCert.cert)),
      GRPC_CHANNEL_OPTIONS,
    );
    const tokenClient = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const withCert = connectSensor(mtlsClient, null);
      withCert.hello('sensor-direct');
      await withCert.waitFor('welcome');
      withCert.end();
      expect((await withCert.status).code).toBe(grpc.status.OK);

      const withToken = connectSensor(tokenClient);
      withToken.hello();
      await withToken.waitFor('welcome');
      withToken.end();
      expect((await withToken.status).code).toBe(grpc.status.OK);

      const neither = connectSensor(tokenClient, null);
      neither.hello();
      const status = await neither.status;
      expect(status.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(status.details).toContain('or a client certificate signed by the configured client CA');
    } finally {
      mtlsClient.close();
      tokenClient.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
