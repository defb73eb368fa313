import * as grpc from '@grpc/grpc-js';
import { AnalyzerMetrics } from '@/runtime/analyzer/metrics';
import { connectSensor, createTestPki, exchange, rm, sensorClient, startTestAnalyzer } from '../analyzer-fixture';

describe('AnalyzerMetrics', () => {
  it('emits EMF counters as deltas since the previous line, gauges as values, and interval percentiles', () => {
    const metrics = new AnalyzerMetrics();
    let lag = 10;
    metrics.addGauges(() => [{ name: 'sink_lag_bytes', help: 'lag', value: lag, labels: { sink: 'webhook' }, unit: 'Bytes' }]);
    metrics.counters.exchanges_in = 100;
    for (let index = 1; index <= 100; index++) metrics.ingestLatency.observe(index);
    const first = metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer' }, 1_700_000_000_000);
    expect(first).toMatchObject({
      Service: 'analyzer',
      exchanges_in: 100,
      'sink_lag_bytes.webhook': 10,
      ingest_latency_p50_ms: 51,
      ingest_latency_p99_ms: 100,
    });
    expect(first._aws).toMatchObject({ Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{ Namespace: 'TxPrevent/Analyzer', Dimensions: [['Service']] }] });
    const perInstance = metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer', AnalyzerId: 'i-1' });
    expect((perInstance._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]!.Dimensions).toEqual([
      ['Service'],
      ['Service', 'AnalyzerId'],
    ]);
    const names = (first._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]!.Metrics;
    expect(names).toContainEqual({ Name: 'sink_lag_bytes.webhook', Unit: 'Bytes' });
    expect(names).toContainEqual({ Name: 'ingest_latency_p99_ms', Unit: 'Milliseconds' });

    metrics.counters.exchanges_in = 130;
    lag = 0;
    const second = metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer' });
    expect(second).toMatchObject({ exchanges_in: 30, 'sink_lag_bytes.webhook': 0 });
    expect(second).not.toHaveProperty('ingest_latency_p99_ms'); // no batches in this interval
  });

  it("integrates open sensor streams over time, so any period's increase over its length is the average connected", () => {
    const metrics = new AnalyzerMetrics();
    const t0 = 1_700_000_000_000;
    metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer' }, t0);
    metrics.setOpenStreams(2, t0);
    metrics.setOpenStreams(3, t0 + 20_000);
    metrics.setOpenStreams(0, t0 + 50_000);
    const line = metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer' }, t0 + 60_000);
    // 2 streams for 20 s, 3 for 30 s, none for the last 10 s: 130 stream-seconds, 2.17 on average over the minute.
    expect(line).toMatchObject({ sensor_stream_seconds: 130 });
    expect((line._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]!.Metrics).toContainEqual({
      Name: 'sensor_stream_seconds',
      Unit: 'Seconds',
    });
    metrics.setOpenStreams(1, t0 + 60_000);
    expect(metrics.emf('TxPrevent/Analyzer', { Service: 'analyzer' }, t0 + 120_000)).toMatchObject({ sensor_stream_seconds: 60 });
    expect(metrics.prometheus(t0 + 125_000)).toContain('txprevent_analyzer_sensor_stream_seconds_total 195');
  });

  it('renders Prometheus text with a cumulative latency histogram and escaped labels', () => {
    const metrics = new AnalyzerMetrics();
    metrics.addGauges(() => [{ name: 'sink_lag_bytes', help: 'lag', value: 3, labels: { sink: 'we"ird' }, unit: 'Bytes' }]);
    metrics.counters.batches_in = 2;
    metrics.ingestLatency.observe(3);
    metrics.ingestLatency.observe(70_000);
    const text = metrics.prometheus();
    expect(text).toContain('# TYPE txprevent_analyzer_batches_in_total counter\ntxprevent_analyzer_batches_in_total 2');
    expect(text).toContain('txprevent_analyzer_sink_lag_bytes{sink="we\\"ird"} 3');
    expect(text).toContain('txprevent_analyzer_ingest_latency_ms_bucket{le="2"} 0');
    expect(text).toContain('txprevent_analyzer_ingest_latency_ms_bucket{le="5"} 1');
    expect(text).toContain('txprevent_analyzer_ingest_latency_ms_bucket{le="10000"} 1');
    expect(text).toContain('txprevent_analyzer_ingest_latency_ms_bucket{le="+Inf"} 2');
    expect(text).toContain('txprevent_analyzer_ingest_latency_ms_count 2');
  });
});

describe('the /metrics endpoint', () => {
  it('escapes label values per the exposition format (backslash, double quote, line feed) instead of mangling them', async () => {
    const pki = await createTestPki();
    const test = await startTestAnalyzer(pki);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensorId = 'rack "7"\\host\nb';
      const sensor = connectSensor(client);
      sensor.hello(sensorId);
      sensor.send({
        batch: { seq: 1, exchanges: [exchange('esc:b:1')], counters: { packets: 10, kernel_drops: 7, spool_depth: 0, spool_dropped: 0, reconnects: 0 } },
      });
      await sensor.waitForAck(1);
      sensor.end();
      expect((await sensor.status).code).toBe(grpc.status.OK);
      const text = await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/metrics`)).text();
      expect(text).toContain('txprevent_analyzer_sensor_kernel_drops{sensor="rack \\"7\\"\\\\host\\nb"} 7');
      // Every sample stays on one line: the raw line feed never reaches the output.
      expect(text.split('\n').filter((line) => line.startsWith('txprevent_analyzer_sensor_kernel_drops'))).toHaveLength(1);
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
