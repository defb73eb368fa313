/**
 * pcap and pcapng captures read through the sensor's own decoder (pcap reader, TCP reassembly,
 * HTTP/1.x parser, with its default limits and its default response-body capture policy), so a
 * capture yields exactly the exchanges `tx-prevent-sensor --pcap` would deliver with its defaults.
 */
import { createReadStream } from 'node:fs';
import { TrafficDecoder, type DecoderCounters } from '../../../sensor/decoder';
import { ResponseBodyPolicy, type DecodedExchange } from '../../../sensor/http';
import { PcapFormatError } from '../../../sensor/pcap';
import type { HttpExchange } from '../../proto';
import { InputError } from './input-error';

/** Read size: the sensor's replay reads captures in 1 MiB chunks too. */
const CHUNK_BYTES = 1024 * 1024;

export interface CaptureReport {
  readonly counters: DecoderCounters;
  /** The file ends in the middle of a packet record (capture cut off). */
  readonly incompleteTail: boolean;
}

/**
 * Decodes a capture file chunk by chunk; `onExchanges` gets the exchanges each chunk completed
 * (ids `<idPrefix><n>`, n from 0) and `onBytes` the bytes read so far.
 */
export async function readCapture(
  file: string,
  idPrefix: string,
  onExchanges: (exchanges: HttpExchange[]) => Promise<void>,
  onBytes: (bytesRead: number) => void,
): Promise<CaptureReport> {
  let pending: HttpExchange[] = [];
  let count = 0;
  const decoder = new TrafficDecoder(
    (decoded: DecodedExchange) => {
      pending.push({ ...decoded, id: `${idPrefix}${count++}`, tags: [] });
    },
    { responseBodies: new ResponseBodyPolicy() },
  );
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await onExchanges(batch);
  };
  let bytesRead = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      decoder.push(chunk as Buffer);
      bytesRead += (chunk as Buffer).length;
      await flush();
      onBytes(bytesRead);
    }
  } catch (error) {
    if (error instanceof PcapFormatError) throw new InputError(file, error.message);
    const failure = error as NodeJS.ErrnoException;
    // Reading the file failed (not the analysis or the output of what was read).
    if (failure.syscall === 'read' || failure.syscall === 'open') throw new InputError(file, `cannot be read (${failure.code ?? failure.message})`);
    throw error;
  }
  decoder.finish();
  await flush();
  return { counters: decoder.counters, incompleteTail: decoder.incompleteTail };
}
