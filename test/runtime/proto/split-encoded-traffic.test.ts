import { buildExchange } from '@/test/fixtures/traffic';
import { loadTxPreventGrpc, type HttpExchange, type SensorMessage__Output } from '@/runtime/proto';
import { SplitEncodedTraffic } from '@/test/bench/split-encoded-traffic';

// The real-mix load generator sends each exchange as its request part followed by a shared
// response part: the analyzer must decode exactly the exchange the contract's serializer sends.
describe('split-encoded benchmark traffic', () => {
  const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
  const page = Buffer.from('<html><body>shared page</body></html>');
  const exchanges = [
    buildExchange({ id: 'a', target: '/one?x=1', status: 200, responseHeaders: [['Content-Type', 'text/html']], responseBody: page }),
    buildExchange({
      id: 'b',
      target: '/two',
      method: 'POST',
      requestBody: '{"q":1}',
      status: 200,
      responseHeaders: [['Content-Type', 'text/html']],
      responseBody: page,
    }),
    buildExchange({ id: 'c', target: '/three', status: 404, responseBody: 'missing' }),
    buildExchange({ id: 'd', target: '/four', noResponse: true }),
  ];

  it('decodes to the same batch the SensorIngest serializer produces, with fresh ids', () => {
    const traffic = new SplitEncodedTraffic(exchanges, 'bench:boot:');
    const decoded = method.requestDeserialize(traffic.batch(3, 6)) as SensorMessage__Output;
    const expected = Array.from({ length: 6 }, (_, index) => ({
      ...(exchanges[index % exchanges.length] as HttpExchange),
      id: `bench:boot:${String(index).padStart(12, '0')}`,
    }));
    const reference = method.requestDeserialize(method.requestSerialize({ batch: { seq: 3, exchanges: expected } })) as SensorMessage__Output;
    expect(decoded).toEqual(reference);
    expect(decoded.batch!.exchanges[3]!.response).toBeNull();
    expect(decoded.batch!.exchanges[1]!.response!.body!.data.toString()).toBe(page.toString());
  });

  it('keeps responses that share a body but differ in status or headers apart', () => {
    const shared = Buffer.from('{"ok":true}');
    const traffic = new SplitEncodedTraffic(
      [buildExchange({ target: '/a', status: 200, responseBody: shared }), buildExchange({ target: '/b', status: 500, responseBody: shared })],
      '',
    );
    const decoded = method.requestDeserialize(traffic.batch(1, 2)) as SensorMessage__Output;
    expect(decoded.batch!.exchanges.map((e) => e.response!.status)).toEqual([200, 500]);
  });
});
