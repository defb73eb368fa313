import { GatewaySink } from '@/runtime/analyzer/sinks';
import { selfSignedCertificate, type CertificateAndKey } from '@/runtime/tls';
import { gatewayBehaviour } from '../fake-gateway';
import { startHttpsReceiver, waitFor, type HttpsReceiver } from '../receivers';
import { finding, sinkHarness } from './harness';

describe('GatewaySink against a local gateway', () => {
  let tls: CertificateAndKey;
  let receiver: HttpsReceiver;
  const apiKey = 'api-key-very-secret-value';
  beforeAll(async () => {
    tls = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
  });
  beforeEach(async () => {
    receiver = await startHttpsReceiver(tls);
  });
  afterEach(async () => {
    await receiver.stop();
  });
  const sink = (key = apiKey) =>
    new GatewaySink({
      hostname: `127.0.0.1:${receiver.port}`,
      tenantId: 'testco',
      apiKey: key,
      batchSize: 2,
      tokenTtlMs: 60_000,
      ca: tls.cert,
      timeoutMs: 2000,
    });

  it('logs in with the API key, sends batches, and logs in again when the token expires', async () => {
    const state = gatewayBehaviour(receiver, apiKey);
    const gateway = sink();
    const harness = await sinkHarness(gateway);
    await harness.append([finding(1), finding(2), finding(3)]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'first delivery');
    state.valid.clear(); // the gateway expires every session
    await harness.append([finding(4)]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery after expiry');
    await harness.close();
    expect(state.events).toEqual(['f-1', 'f-2', 'f-3', 'f-4']);
    expect(gateway.logins).toBe(2);
    expect(harness.failures).toEqual([]);
  });

  it('keeps events while the gateway is down or restarting, and reports a bad API key without showing it', async () => {
    await receiver.stop();
    const harness = await sinkHarness(sink('wrong-key-also-secret'));
    await harness.append([finding(1)]);
    await waitFor(() => harness.failures.length >= 1, 'failure while down');
    await receiver.start();
    const state = gatewayBehaviour(receiver, apiKey);
    await waitFor(() => harness.failures.some((message) => message.includes('invalid api key')), 'login refusal');
    expect(harness.failures.join('\n')).not.toContain('wrong-key-also-secret');
    expect(harness.failures.find((message) => message.includes('invalid api key'))).toContain('check GATEWAY_HOSTNAME, TENANT_ID and the API key');
    await harness.close();
    expect(state.events).toEqual([]);

    const good = await sinkHarness(sink());
    await good.append([finding(2), finding(3)]);
    await waitFor(() => state.events.length === 2, 'delivery');
    await receiver.stop();
    await good.append([finding(4)]);
    await waitFor(() => good.failures.length >= 1, 'failure during restart');
    await receiver.start();
    await waitFor(() => good.runner.lagBytes() === 0, 'delivery after restart');
    await good.close();
    expect(state.events).toEqual(['f-2', 'f-3', 'f-4']);
  });

  it('waits for a slow gateway, and retries when it answers after the timeout', async () => {
    const state = gatewayBehaviour(receiver, apiKey);
    const respond = receiver.respond;
    let slowAnswers = 0;
    receiver.respond = (request) => {
      const answer = respond(request);
      // The first /events answer comes after the sink's timeout, later ones are slow but in time.
      if (request.path !== '/events') return answer;
      slowAnswers++;
      return { ...answer, delayMs: slowAnswers === 1 ? 1500 : 100 };
    };
    const gateway = new GatewaySink({
      hostname: `127.0.0.1:${receiver.port}`,
      tenantId: 'testco',
      apiKey,
      batchSize: 10,
      tokenTtlMs: 60_000,
      ca: tls.cert,
      timeoutMs: 700,
    });
    const harness = await sinkHarness(gateway);
    await harness.append([finding(1), finding(2)]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery');
    await harness.close();
    expect(harness.failures.some((message) => message.includes('no response'))).toBe(true);
    expect(new Set(state.events)).toEqual(new Set(['f-1', 'f-2'])); // at least once: the late first answer may have counted too
  });
});
