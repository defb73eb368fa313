import { connectSensor, createTestPki, exchange, matchEventWebhook, rm, sensorClient, startTestAnalyzer } from '../analyzer-fixture';
import { startHttpsReceiver, waitFor } from '../receivers';

describe('analyzer backpressure (SPOOL_FULL_POLICY=backpressure)', () => {
  it('stops acknowledging while the spool is full of undelivered events, and resumes when the sink catches up', async () => {
    const pki = await createTestPki();
    const webhook = await startHttpsReceiver(pki.server);
    const webhookPort = webhook.port;
    await webhook.stop(); // the only receiver is down: its events pile up in the spool
    const test = await startTestAnalyzer(pki, {
      SPOOL_MAX_MB: '2',
      SPOOL_SEGMENT_MB: '1',
      SPOOL_FULL_POLICY: 'backpressure',
      MAX_QUEUED_BATCHES: '2',
      ...matchEventWebhook(webhookPort, pki),
    });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensor = connectSensor(client);
      sensor.hello();
      const padding = 'p'.repeat(2000);
      const batches = 40;
      for (let seq = 1; seq <= batches; seq++) {
        // Long ids make each batch's spool record ~100 KB; one attack per batch gives the webhook an event.
        const exchanges = Array.from({ length: 50 }, (_, index) => exchange(`s:${padding}:${seq}:${index}`));
        exchanges.push(exchange(`s:attack:${seq}`, { target: "/api/products?q=1'%20UNION%20SELECT%20password%20FROM%20users--" }));
        sensor.batch(seq, exchanges);
      }
      await waitFor(() => sensor.ackedThrough() > 0, 'first acks');
      // Wait until acknowledgements stop moving (the machine may be slow), then check they stay put.
      let stalledAt = -1;
      for (let round = 0; round < 40 && stalledAt !== sensor.ackedThrough(); round++) {
        stalledAt = sensor.ackedThrough();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(stalledAt).toBeLessThan(batches);
      expect(test.analyzer.spool.sizeBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sensor.ackedThrough()).toBe(stalledAt); // still stalled: nothing is dropped, nothing queued without bound
      // Operators see it: a log line, a counter, and a gauge that stays 1 while acks are held.
      const gauge = () => test.analyzer.metrics.gauges().find((sample) => sample.name === 'spool_backpressure_active')?.value;
      expect(gauge()).toBe(1);
      expect(test.analyzer.metrics.counters.spool_backpressure_waits).toBeGreaterThanOrEqual(1);
      expect(test.logLines.filter((line) => line.includes('holding acknowledgements until the sinks catch up'))).not.toHaveLength(0);
      expect(await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/metrics`)).text()).toContain('txprevent_analyzer_spool_backpressure_active 1');

      await webhook.start();
      await sensor.waitForAck(batches, 20_000);
      sensor.end();
      await sensor.status;
      expect(test.analyzer.metrics.counters.spool_dropped_bytes).toBe(0);
      expect(test.analyzer.metrics.counters.spool_dropped_events).toBe(0);
      expect(gauge()).toBe(0);
      expect(test.logLines.some((line) => line.includes('spool has room again'))).toBe(true);
      await waitFor(() => webhook.requests.length >= batches, 'every attack event at the webhook', 20_000);
    } finally {
      client.close();
      await test.stop();
      await webhook.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
