import { connectSensor, createTestPki, exchange, matchEventWebhook, rm, sensorClient, startTestAnalyzer } from '../analyzer-fixture';
import { startHttpsReceiver, waitFor } from '../receivers';

describe('analyzer shutdown hand-off', () => {
  it('within SHUTDOWN_TIMEOUT_S, writes what a down sink could not deliver to stdout as Undelivered records', async () => {
    const pki = await createTestPki();
    const webhook = await startHttpsReceiver(pki.server);
    const webhookPort = webhook.port;
    await webhook.stop();
    const test = await startTestAnalyzer(pki, {
      SHUTDOWN_TIMEOUT_S: '2',
      ...matchEventWebhook(webhookPort, pki),
    });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensor = connectSensor(client);
      sensor.hello();
      sensor.batch(1, [exchange('h:b:1', { target: "/api/products?q=1'%20UNION%20SELECT%20password%20FROM%20users--" }), exchange('h:b:2')]);
      await sensor.waitForAck(1);
      sensor.end();
      await sensor.status;
      await waitFor(() => test.stdoutLines.some((line) => line.includes('"request_id":"h:b:1"')), 'the event on stdout');

      const started = Date.now();
      const report = await test.analyzer.shutdown();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(2000 + 1000);
      expect(report.handedOff).toMatchObject({ webhook: 1, stdout: 0 });
      expect(report.undeliveredBytes.webhook).toBeGreaterThan(0);
      const handedOff = test.stdoutLines
        .filter((line) => line.startsWith('{"msg_type":"Undelivered"'))
        .map((line) => JSON.parse(line) as { sink: string; event: { request_id: string } });
      expect(handedOff).toEqual([
        expect.objectContaining({ sink: 'webhook', event: expect.objectContaining({ msg_type: 'MatchEvent', request_id: 'h:b:1' }) }),
      ]);
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
