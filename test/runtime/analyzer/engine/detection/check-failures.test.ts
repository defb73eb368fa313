import { Detector, InspectedValue, RULE_PACKS, inspectValue } from '@/runtime/analyzer/engine/detection';
import type { RulePack } from '@/runtime/analyzer/engine/detection/types';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest, type RequestView } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

const ANALYSIS_FAULT = 960124;
const limits = resolveLimits(undefined);
const sqli = RULE_PACKS.find((p) => p.name === 'sqli')!;

/** A pack with a bug: it throws on every value holding `boom`. */
const brokenPack: RulePack = {
  ...sqli,
  name: 'broken',
  prefilter: (value) => value.raw.includes('boom'),
  inspect: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'length')");
  },
};

function request(target: string): RequestView {
  return viewRequest(buildExchange({ method: 'GET', target }), limits);
}

describe('a detection check that fails', () => {
  it('costs only its own verdict: the other packs still judge the value, and the value is reported under 960124', () => {
    const value = new InspectedValue('query', 'q', "boom' or 1=1-- -");
    const ids = inspectValue(value, [brokenPack, sqli]).map((r) => r.id);
    expect(ids).toContain(ANALYSIS_FAULT);
    expect(ids.some((id) => sqli.rules.some((r) => r.id === id))).toBe(true);
    expect(inspectValue(new InspectedValue('query', 'q', "' or 1=1-- -"), [brokenPack, sqli]).map((r) => r.id)).not.toContain(ANALYSIS_FAULT);
  });

  it('alerts at level 1 and is counted each time, a remembered verdict too', () => {
    const detector = new Detector({ packs: [brokenPack, sqli] });
    const first = detector.detect(request('/search?q=boom&page=2'));
    expect(first.alert).toBe(true);
    expect(first.hits.find((h) => h.rule.id === ANALYSIS_FAULT)).toMatchObject({ location: 'query', parameter: 'q', value: 'boom' });
    detector.detect(request('/search?q=boom&page=3'));
    expect(detector.errors).toBe(2);
    expect(detector.detect(request('/search?q=shoes')).alert).toBe(false);
    expect(detector.errors).toBe(2);
  });

  it('that reads the request as a whole is reported by name, and the values are still judged', () => {
    const real = request("/items?id=1'%20union%20select%20password%20from%20users--");
    // The method is read by the request-level checks only, not by the value collection.
    const hostile = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'method') throw new RangeError('hostile view');
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const detector = new Detector();
    const result = detector.detect(hostile);
    const faults = result.hits.filter((h) => h.rule.id === ANALYSIS_FAULT);
    expect(faults.length).toBeGreaterThan(0);
    for (const fault of faults) expect(fault.parameter).toMatch(/^:[a-z-]+$/);
    expect(result.hits.some((h) => h.rule.classification === 'SqlInjection' && h.parameter === 'id')).toBe(true);
    expect(detector.errors).toBe(faults.length);
  });
});

describe('an exchange whose analysis fails after its detection', () => {
  it('still yields the MatchEvent already made, and is counted as malformed', () => {
    const exchange = buildExchange({
      method: 'GET',
      target: "/items?id=1'%20union%20select%20password%20from%20users--",
      status: 200,
      responseBody: '{"ok":true}',
    });
    const engine = createAnalysisEngine({ catalog: false });
    const timing = exchange.timing;
    let reads = 0;
    Object.defineProperty(exchange, 'timing', {
      get() {
        // The MatchEvent reads the timing twice (its timestamp and upstream time); the attack-outcome check reads it next.
        if (++reads > 2) throw new RangeError('hostile exchange');
        return timing;
      },
    });
    const events = engine.analyze(exchange, { sensorId: 's', sensorTags: [] });
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    expect(match?.matches.some((m) => m.classification === 'SqlInjection')).toBe(true);
    expect(engine.counters().malformed).toBe(1);
  });
});
