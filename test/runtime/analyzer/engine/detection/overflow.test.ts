import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { overflowPack } from '@/runtime/analyzer/engine/detection/rules/overflow';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const ids = (raw: string, location: 'query' | 'cookie' | 'body' = 'query'): number[] =>
  inspectValue(new InspectedValue(location, 'q', raw), [overflowPack]).map((r) => r.id);

describe('memory-corruption probes', () => {
  it.each(['%08x.%08x.%08x.%08x.%n', '%s%x%s%x%s%x', '%n%n%n%n', '%d%d%d', '%10d%10d%10d', '%p|%p|%p'])('reads the format string %s', (raw) => {
    expect(ids(raw)).toEqual([960129]);
  });

  it.each([
    'Hello %s, you have %d messages',
    '100%s%d',
    // percent-escapes that spell a conversion: `}}}}` and CR encoded
    '%7B%22a%22%3A%7B%22b%22%3A1%7D%7D%7D%7D',
    '%0d%0a%0d%0a',
    'caf%C3%A9%20%C3%A0%20la%20carte',
  ])('leaves %s alone', (raw) => {
    expect(ids(raw)).toEqual([]);
  });

  it('reads a value that is mostly one character repeated 512 times or more as overflow padding, not whitespace, a document or a shorter run', () => {
    expect(ids('A'.repeat(600))).toEqual([960130]);
    expect(ids(`Mozilla/4.0 (${'A'.repeat(6000)})`, 'cookie')).toEqual([960130]);
    expect(ids('A'.repeat(511))).toEqual([]);
    expect(ids(`${'abcdefghij'.repeat(70)}${'A'.repeat(600)}`)).toEqual([]);
    expect(ids(`# Title\n${'='.repeat(600)}\n`, 'body')).toEqual([]);
    expect(ids(`ACME LTD${' '.repeat(900)}0042`)).toEqual([]);
  });
});

describe('byte ranges past any file', () => {
  const engine = createAnalysisEngine({ catalog: false });
  const rules = (spec: ExchangeSpec): number[] =>
    engine
      .analyze(buildExchange(spec), { sensorId: 's', sensorTags: [] })
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => Number(m.id)));

  it('reads an overflowing bound (MS15-034) and the legacy Request-Range header as Range is read', () => {
    expect(rules({ method: 'GET', target: '/welcome.png', requestHeaders: [['Range', 'bytes=0-18446744073709551615']] })).toContain(960105);
    const killer = `bytes=0-,${Array.from({ length: 40 }, (_, i) => `5-${i}`).join(',')}`;
    expect(rules({ method: 'GET', target: '/images/banner.jpg', requestHeaders: [['Request-Range', killer]] })).toContain(960105);
    expect(rules({ method: 'GET', target: '/video.mp4', requestHeaders: [['Range', 'bytes=1048576-2097151']] })).toEqual([]);
  });
});
