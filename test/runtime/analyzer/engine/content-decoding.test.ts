import { brotliCompressSync, gzipSync } from 'node:zlib';
import { createAnalysisEngine, type AnalyzerEvent, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const matchEvents = (events: AnalyzerEvent[]): MatchEventRecord[] => events.filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');

/** A JSON body with an attack early on and enough varied filler that a cut keeps the attack. */
function attackJson(): Buffer {
  const filler = Array.from({ length: 20_000 }, (_, i) => `w${(i * 7919) % 3001}`).join(' ');
  return Buffer.from(JSON.stringify({ comment: '<script>alert(1)</script>', filler }));
}

function analyzeBody(body: Buffer, encoding: string) {
  const engine = createAnalysisEngine({});
  const events = engine.analyze(
    buildExchange({
      method: 'POST',
      target: '/j',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: body,
      requestContentEncoding: encoding,
    }),
    context,
  );
  return { matches: matchEvents(events), malformed: engine.counters().malformed };
}

describe('analyzer content decoding (undecoded bodies from HAR files or sensors that could not decode)', () => {
  it('reads a brotli body cut short as far as it decodes instead of dropping it', () => {
    const compressed = brotliCompressSync(attackJson());
    const { matches, malformed } = analyzeBody(compressed.subarray(0, Math.floor(compressed.length / 2)), 'br');
    expect(matches.length).toBeGreaterThan(0);
    expect(malformed).toBe(0);
  });

  it('decodes stacked codings', () => {
    expect(analyzeBody(brotliCompressSync(gzipSync(attackJson())), 'gzip, br').matches.length).toBeGreaterThan(0);
  });

  it('treats a body in an unknown coding as binary (not analysed, not malformed)', () => {
    const { matches, malformed } = analyzeBody(attackJson(), 'zstd');
    expect(matches).toEqual([]);
    expect(malformed).toBe(0);
  });
});
