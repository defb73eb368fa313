import * as grpc from '@grpc/grpc-js';
import { loadTxPreventGrpc, MAX_MESSAGE_BYTES } from '@/runtime/proto';

describe('txprevent.v1 contract', () => {
  const pkg = loadTxPreventGrpc();

  it('defines the sensor ingest, scan and health services', () => {
    expect(Object.keys(pkg.txprevent.v1.SensorIngest.service)).toEqual(['Stream']);
    expect(Object.keys(pkg.txprevent.v1.ScanTemplateService.service)).toEqual(['Scans']);
    expect(Object.keys(pkg.grpc.health.v1.Health.service).sort()).toEqual(['Check', 'Watch']);
    expect(pkg.txprevent.v1.SensorIngest.service.Stream.path).toBe('/txprevent.v1.SensorIngest/Stream');
    expect(pkg.grpc.health.v1.Health.service.Check.path).toBe('/grpc.health.v1.Health/Check');
  });

  it('round-trips a batch with ordered duplicate headers and a bytes body', () => {
    const method = pkg.txprevent.v1.SensorIngest.service.Stream;
    const message = {
      batch: {
        seq: 7,
        exchanges: [
          {
            id: 'sensor-a:boot1:42',
            request: {
              method: 'POST',
              target: '/users/42?x=1',
              http_version: 'HTTP/1.1',
              headers: [
                { name: 'Host', value: 'app.example' },
                { name: 'Cookie', value: 'a=1' },
                { name: 'Cookie', value: 'b=2' },
              ],
              body: { data: Buffer.from('{"a":1}'), truncated: false, wire_length: 7 },
            },
          },
        ],
      },
    };
    const decoded = method.requestDeserialize(method.requestSerialize(message));
    expect(decoded.kind).toBe('batch');
    expect(decoded.batch?.seq).toBe(7);
    const request = decoded.batch!.exchanges[0].request!;
    expect(request.headers.map((h) => `${h.name}=${h.value}`)).toEqual(['Host=app.example', 'Cookie=a=1', 'Cookie=b=2']);
    expect(Buffer.from(request.body!.data).toString()).toBe('{"a":1}');
    expect(decoded.batch!.exchanges[0].response).toBeNull();
  });

  it('ignores fields it does not know (forward compatibility)', () => {
    const method = pkg.txprevent.v1.SensorIngest.service.Stream;
    const known = method.responseSerialize({ ack: { acked_through_seq: 3 } });
    // Field 99, varint 1: a field a later protocol version might add.
    const withUnknown = Buffer.concat([known, Buffer.from([0x98, 0x06, 0x01])]);
    const decoded = method.responseDeserialize(withUnknown);
    expect(decoded.ack?.acked_through_seq).toBe(3);
  });

  it('allows 16 MiB messages', () => {
    expect(MAX_MESSAGE_BYTES).toBe(16 * 1024 * 1024);
    expect(typeof grpc.Server).toBe('function');
  });
});
