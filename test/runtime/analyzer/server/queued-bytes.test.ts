import { analysisOnMainThread, type Analysis, type BatchResult } from '@/runtime/analyzer/analysis';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { QueuedBytes } from '@/runtime/analyzer/server/queued-bytes';
import { connectSensor, createTestPki, exchange, rm, sensorClient, startTestAnalyzer } from '../analyzer-fixture';
import { waitFor } from '../receivers';

describe('QueuedBytes: the bytes of unacknowledged batches against MAX_QUEUED_MB', () => {
  it('is full at its budget, takes a batch past it, and wakes every waiting stream once a release leaves room', () => {
    const queued = new QueuedBytes(100);
    queued.add(60);
    expect(queued.full).toBe(false);
    queued.add(60);
    expect([queued.bytes, queued.full]).toEqual([120, true]);
    const woken: string[] = [];
    queued.whenRoom(() => woken.push('a'));
    queued.whenRoom(() => woken.push('b'));
    const forgotten = () => woken.push('closed stream');
    queued.whenRoom(forgotten);
    queued.forget(forgotten);
    queued.release(10);
    expect(woken).toEqual([]); // 110: still full
    queued.release(60);
    expect(woken).toEqual(['a', 'b']);
    queued.release(0);
    expect(woken).toEqual(['a', 'b']); // once each
  });
});

/** The engine on the main thread, except that batches wait until the test lets them through. */
function heldAnalysis(): { analysis: Analysis; received: number[]; release(): void } {
  const inner = analysisOnMainThread(createAnalysisEngine());
  const received: number[] = [];
  let open = false;
  const waiting: Array<() => void> = [];
  const analysis: Analysis = {
    ...inner,
    analyze: (exchanges, context) => {
      received.push(exchanges.reduce((sum, bytes) => sum + bytes.length, 0));
      const result = inner.analyze(exchanges, context);
      if (open) return result;
      return new Promise<BatchResult>((resolve) => waiting.push(() => resolve(result)));
    },
  };
  return {
    analysis,
    received,
    release() {
      open = true;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

describe('ingest bounded by queued bytes (MAX_QUEUED_MB)', () => {
  it('stops reading once the unacknowledged batches hold the budget, and takes the rest as acknowledgements free room', async () => {
    const pki = await createTestPki();
    const held = heldAnalysis();
    // 1 MB of queued batches, and a count bound that is not what stops the stream.
    const test = await startTestAnalyzer(pki, { MAX_QUEUED_MB: '1', MAX_QUEUED_BATCHES: '100' }, undefined, undefined, held.analysis);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensor = connectSensor(client);
      sensor.hello();
      const body = 'b'.repeat(100_000);
      const batches = 12;
      // ~300 KB per batch: four reach the budget.
      for (let seq = 1; seq <= batches; seq++)
        sensor.batch(
          seq,
          [0, 1, 2].map((index) => exchange(`s:q:${seq}:${index}`, { method: 'POST', target: '/upload', requestBody: body })),
        );
      await waitFor(() => held.received.length >= 4, 'the first batches at the analysis');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(held.received.length).toBe(4);
      expect(held.received.slice(0, 3).reduce((a, b) => a + b, 0)).toBeLessThan(1024 * 1024);
      expect(held.received.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1024 * 1024);
      expect(sensor.ackedThrough()).toBe(0);

      held.release();
      await sensor.waitForAck(batches, 20_000);
      expect(held.received).toHaveLength(batches);
      expect(test.analyzer.metrics.counters.exchanges_in).toBe(batches * 3);
      sensor.end();
      await sensor.status;
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
