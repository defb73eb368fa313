/** A test analyzer: opens the Scans stream with TLS and a bearer token and collects what comes back. */
import * as grpc from '@grpc/grpc-js';
import { bearerMetadata } from '@/runtime/peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type Finding__Output, type ScanServerMessage__Output } from '@/runtime/proto';

export interface TestStream {
  readonly messages: ScanServerMessage__Output[];
  submit(requestId: string, finding: Finding__Output): void;
  /** Resolves with the first message matching `predicate` (bounded wait). */
  next(predicate: (m: ScanServerMessage__Output) => boolean, timeoutMs?: number): Promise<ScanServerMessage__Output>;
  readonly ended: Promise<grpc.StatusObject | Error>;
  close(): void;
}

export function scanClient(port: number, caPem: string) {
  const Service = loadTxPreventGrpc().txprevent.v1.ScanTemplateService;
  return new Service(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(caPem)), {
    ...GRPC_CHANNEL_OPTIONS,
    'grpc.ssl_target_name_override': 'localhost',
  });
}

export function openStream(client: ReturnType<typeof scanClient>, token: string): TestStream {
  const call = client.Scans(bearerMetadata(token));
  const messages: ScanServerMessage__Output[] = [];
  const waiters = new Set<() => void>();
  call.on('data', (message: ScanServerMessage__Output) => {
    messages.push(message);
    for (const wake of waiters) wake();
  });
  const ended = new Promise<grpc.StatusObject | Error>((done) => {
    call.on('status', (status) => done(status));
    call.on('error', (error) => done(error));
  });
  return {
    messages,
    submit: (requestId, finding) => call.write({ submit: { request_id: requestId, finding } }),
    next: (predicate, timeoutMs = 20_000) =>
      new Promise((done, fail) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          cleanup();
          done(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.kind))}`));
        }, timeoutMs);
        const wake = () => void check();
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
        void ended.then(() => {
          if (!check()) {
            cleanup();
            fail(new Error('stream ended'));
          }
        });
        check();
      }),
    ended,
    close: () => call.end(),
  };
}
