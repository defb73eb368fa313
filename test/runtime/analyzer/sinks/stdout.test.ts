import { PassThrough } from 'node:stream';
import { StdoutSink } from '@/runtime/analyzer/sinks';
import { waitFor } from '../receivers';
import { finding, sinkHarness } from './harness';

describe('StdoutSink', () => {
  it('writes one JSON line per event, in order, and waits for a slow reader', async () => {
    const pipe = new PassThrough({ highWaterMark: 1024 });
    const harness = await sinkHarness(new StdoutSink(pipe));
    const events = Array.from({ length: 300 }, (_, index) => ({ ...finding(index), padding: 'x'.repeat(200) }));
    await harness.append(events);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.runner.lagBytes()).toBeGreaterThan(0); // nobody reads: delivery waits
    let text = '';
    pipe.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery once read');
    await harness.close();
    const lines = text.trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { finding_id: string }).finding_id)).toEqual(events.map((event) => event.finding_id));
  });
});
