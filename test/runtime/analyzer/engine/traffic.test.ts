import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { createTrafficGenerator } from '@/test/fixtures/traffic';

const context = { sensorId: 'load-sensor', sensorTags: [] };

describe('traffic generator', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = createTrafficGenerator({ seed: 7, startMs: 1 }).batch(50);
    const b = createTrafficGenerator({ seed: 7, startMs: 1 }).batch(50);
    const c = createTrafficGenerator({ seed: 8, startMs: 1 }).batch(50);
    expect(a.map((e) => e.request?.target)).toEqual(b.map((e) => e.request?.target));
    expect(a.map((e) => e.request?.target)).not.toEqual(c.map((e) => e.request?.target));
    expect(new Set(a.map((e) => e.id)).size).toBe(50);
  });

  it('produces mostly benign traffic the engine accepts, with attacks it detects and no false alarms', () => {
    const generator = createTrafficGenerator({ seed: 3, attackRatio: 0.05 });
    const engine = createAnalysisEngine();
    let flagged = 0;
    for (const exchange of generator.batch(4000)) {
      if (engine.analyze(exchange, context).some((e) => e.msg_type === 'MatchEvent')) flagged++;
    }
    expect(generator.attacks).toBeGreaterThan(120);
    expect(generator.attacks).toBeLessThan(300);
    // Every attack is detected and nothing else is (benign traffic includes quotes and ampersands).
    expect(flagged).toBe(generator.attacks);
    const counters = engine.counters();
    expect(counters.malformed).toBe(0);
    expect(counters.findings_created).toBeGreaterThan(0);
    const paths = Object.keys(engine.openApi().paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/products/{id}', '/api/v1/users/{id}/settings', '/api/v1/cart/items/{uuid}', '/api/v1/orders']));
    // Hashed asset names collapse instead of growing the inventory without bound.
    expect(paths.length).toBeLessThan(20);
  });

  it('rejects bad options', () => {
    expect(() => createTrafficGenerator({ attackRatio: 2 })).toThrow(/attackRatio must be between 0 and 1/);
    expect(() => createTrafficGenerator({ hosts: [] })).toThrow(/hosts must name at least one host/);
  });
});
