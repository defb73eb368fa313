import { createTrafficGenerator } from '@/test/fixtures/traffic';
import { loadTxPreventGrpc, type HttpExchange, type SensorMessage__Output } from '@/runtime/proto';
import { PreEncodedTraffic } from '@/test/bench/pre-encoded-traffic';

// The analyzer benchmark's load generator sends these bytes instead of serializing each message:
// they must decode to exactly what the contract's serializer would have sent.
describe('pre-encoded benchmark traffic', () => {
  const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
  const exchanges = createTrafficGenerator({ seed: 3, attackRatio: 0.2 }).batch(50) as HttpExchange[];

  it('decodes to the same batch the SensorIngest serializer produces, with fresh ids', () => {
    const traffic = new PreEncodedTraffic(exchanges, 'bench:boot:');
    const first = method.requestDeserialize(traffic.batch(7, 30)) as SensorMessage__Output;
    const second = method.requestDeserialize(traffic.batch(8, 30)) as SensorMessage__Output;
    const expected = (index: number) => ({ ...exchanges[index % exchanges.length]!, id: `bench:boot:${String(index).padStart(12, '0')}` });
    const reference = method.requestDeserialize(
      method.requestSerialize({ batch: { seq: 7, exchanges: Array.from({ length: 30 }, (_, index) => expected(index)) } }),
    ) as SensorMessage__Output;
    expect(first).toEqual(reference);
    expect(second.kind).toBe('batch');
    expect(second.batch!.seq).toBe(8);
    expect(second.batch!.exchanges.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, index) => expected(30 + index).id));
    expect(second.batch!.exchanges[25]!.request).toEqual(reference.batch!.exchanges[5]!.request);
  });

  it('patches the counter whatever the id prefix, including none', () => {
    for (const prefix of ['', 'x:', `sensor-${'a'.repeat(200)}:`]) {
      const traffic = new PreEncodedTraffic([exchanges[0]!], prefix);
      const decoded = method.requestDeserialize(traffic.batch(1, 2)) as SensorMessage__Output;
      expect(decoded.batch!.exchanges.map((e) => e.id)).toEqual([`${prefix}000000000000`, `${prefix}000000000001`]);
    }
  });
});
