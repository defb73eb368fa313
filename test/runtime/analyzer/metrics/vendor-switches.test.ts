import { connectSensor, createTestPki, exchange, sensorClient, startTestAnalyzer, type TestPki } from '../analyzer-fixture';

/** The vendor parameters EnableStdOutMetrics and EnableCatalogMonitor, as the analyzer reads them. */
describe('analyzer switches from the vendor parameters', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  async function run(env: Record<string, string>) {
    const test = await startTestAnalyzer(pki, { METRICS_EMF_INTERVAL_S: '1', ...env });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensor = connectSensor(client);
      sensor.hello();
      sensor.batch(1, [exchange('s:b:1', { target: '/api/items/1' }), exchange('s:b:2', { target: '/api/items/2' })]);
      await sensor.waitForAck(1);
      // Longer than one EMF interval.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const inventory = (await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      sensor.end();
      await test.stop(); // writes the last EMF line (stopping again in finally does nothing)
      return { paths: Object.keys(inventory.paths), emfLines: test.stdoutLines.filter((line) => line.startsWith('{"_aws"')).length };
    } finally {
      client.close();
      await test.stop();
    }
  }

  it('writes EMF lines and builds the inventory by default', async () => {
    const { paths, emfLines } = await run({});
    expect(paths).toEqual(['/api/items/{id}']);
    expect(emfLines).toBeGreaterThanOrEqual(2); // at least one per interval, and one at shutdown
  });

  it('writes no EMF line with ENABLE_STDOUT_METRICS=false, and no inventory with ENABLE_CATALOG_MONITOR=false', async () => {
    const { paths, emfLines } = await run({ ENABLE_STDOUT_METRICS: 'false', ENABLE_CATALOG_MONITOR: 'false' });
    expect(paths).toEqual([]);
    expect(emfLines).toBe(0);
  });
});
