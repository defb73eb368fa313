import { loadTxPreventGrpc, type HttpExchange, type HttpExchange__Output } from '../../proto';
import { decodeHttpExchange, decodeIngestMessage } from '../../proto/exchange-codec';

/**
 * Exchanges as the analyzer service receives them: serialized by the contract's own serializer
 * into a sensor batch, then decoded by the service's ingest decoder. Defaults, numbers and bytes
 * are then exactly what the engine gets from a sensor.
 */
export function asReceivedByAnalyzer(exchanges: HttpExchange[]): HttpExchange__Output[] {
  if (exchanges.length === 0) return [];
  const message = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream.requestSerialize({ batch: { exchanges } });
  const decoded = decodeIngestMessage(message);
  if (decoded.kind !== 'batch') throw new Error('a serialized batch did not decode as a batch');
  return decoded.batch.exchanges.map((encoded) => decodeHttpExchange(encoded.bytes));
}
