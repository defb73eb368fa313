/**
 * The development corpora in ../shared/corpora (see its README): labelled HTTP requests, read as
 * exchanges the engine takes. Detection figures are reported on these, never on the project's
 * own hand-written corpus.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { HttpExchange__Output } from '@/runtime/proto';
import { buildExchange } from '@/test/fixtures/traffic';

export interface CorpusRecord {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly label: 'attack' | 'benign';
  readonly class: string;
  readonly placement?: string;
  readonly encoding?: string;
  readonly payload?: string;
  readonly source?: string;
  /** The recorded site (benign browsing records). */
  readonly site?: string;
}

/** Where the shared corpora live: beside the checkout, as the workplace lays them out. */
export const CORPORA_DIR = process.env.TXP_CORPORA_DIR ?? join(__dirname, '..', '..', '..', '..', 'shared', 'corpora');

export function corporaAvailable(): boolean {
  return existsSync(join(CORPORA_DIR, 'attacks-dev.jsonl.gz')) && existsSync(join(CORPORA_DIR, 'benign-dev.jsonl.gz'));
}

export function readCorpus(file: 'attacks-dev' | 'benign-dev'): CorpusRecord[] {
  const text = gunzipSync(readFileSync(join(CORPORA_DIR, `${file}.jsonl.gz`))).toString('utf8');
  const records: CorpusRecord[] = [];
  for (const line of text.split('\n')) if (line.trim().length > 0) records.push(JSON.parse(line) as CorpusRecord);
  return records;
}

/** The record as the sensor would have delivered it (each body char is one byte). */
export function corpusExchange(
  record: CorpusRecord,
  response?: { status: number; headers: ReadonlyArray<readonly [string, string]>; body: Buffer },
  host = 'app.example.com',
): HttpExchange__Output {
  const headers: Array<readonly [string, string]> = Object.entries(record.headers);
  return buildExchange({
    id: `corpus:${record.id}`,
    method: record.method,
    target: record.url,
    host,
    requestHeaders: headers,
    requestBody: record.body.length > 0 ? Buffer.from(record.body, 'latin1') : undefined,
    status: response?.status,
    responseHeaders: response?.headers,
    responseBody: response?.body,
  });
}
