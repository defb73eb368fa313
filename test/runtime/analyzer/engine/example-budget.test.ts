import { createAnalysisEngine, type AnalyzerEvent, type FindingRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';
import type { HttpExchange__Output } from '@/runtime/proto';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const page = `<html><body><p>Results for <img src=x onerror=alert(1)></p>${'<p>filler</p>'.repeat(2000)}</body></html>`;

/** A reflected XSS (a finding the STS confirms, so it keeps an example exchange) on its own endpoint. */
function reflected(engine: ReturnType<typeof createAnalysisEngine>, endpoint: string): FindingRecord {
  const exchange = buildExchange({
    target: `/${endpoint}?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`,
    responseHeaders: [['Content-Type', 'text/html']],
    responseBody: page,
  }) as HttpExchange__Output;
  const events: AnalyzerEvent[] = engine.analyze(exchange, context);
  const finding = events.find((e): e is FindingRecord => e.msg_type === 'Finding' && e.class === 'reflected_xss');
  if (!finding) throw new Error(`no reflected_xss finding on /${endpoint}`);
  return finding;
}

describe('the example budget (exampleBudgetBytes)', () => {
  it('keeps example bodies until the findings together hold the budget, then keeps examples without bodies', () => {
    const engine = createAnalysisEngine({ limits: { exampleBudgetBytes: 8_000 } });
    const kept = ['a', 'b', 'c'].map((endpoint) => reflected(engine, endpoint).scan?.exchange?.response?.body);
    expect(kept.map((body) => body?.data?.length)).toEqual([2048, 2048, 0]);
    // The example still says the body was there and was cut.
    expect(kept[2]).toMatchObject({ truncated: true, wire_length: Buffer.byteLength(page) });
  });

  it('is 64 MiB by default, and must be a positive integer', () => {
    const engine = createAnalysisEngine();
    expect(['a', 'b', 'c'].map((endpoint) => reflected(engine, endpoint).scan?.exchange?.response?.body?.data?.length)).toEqual([2048, 2048, 2048]);
    expect(() => createAnalysisEngine({ limits: { exampleBudgetBytes: 0 } })).toThrow('engine limit exampleBudgetBytes must be a positive integer, got 0');
  });
});
