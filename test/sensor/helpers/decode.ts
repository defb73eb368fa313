import { TrafficDecoder, type DecoderOptions } from '@/sensor/decoder';
import type { DecodedExchange } from '@/sensor/http';

/** Decodes a whole capture file and returns the exchanges and counters. */
export function decodeCapture(file: Buffer, options: Partial<DecoderOptions> = {}, chunkSize = 0) {
  const exchanges: DecodedExchange[] = [];
  const decoder = new TrafficDecoder((e) => exchanges.push(e), options);
  if (chunkSize > 0) for (let i = 0; i < file.length; i += chunkSize) decoder.push(file.subarray(i, i + chunkSize));
  else decoder.push(file);
  decoder.finish();
  // The decoder survives its own bugs in production; tests must see them.
  if (decoder.counters.internalErrors > 0) throw new Error(`decoder internal error: ${decoder.counters.lastInternalError}`);
  return { exchanges, counters: decoder.counters, decoder };
}

export function bodyText(body: { data?: Buffer | Uint8Array | string } | null | undefined): string {
  return Buffer.from((body?.data as Buffer | undefined) ?? Buffer.alloc(0)).toString('latin1');
}
