/**
 * The audit trail: one JSON line per scan request and per scan decision, to a file (appended) or
 * stdout. Records carry what was sent where and what came back, never credentials: header
 * values of credential headers are not recorded at all.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

export type AuditRecord =
  | {
      readonly type: 'scan_request';
      readonly scan_id: string;
      readonly finding_id: string;
      readonly probe: string;
      readonly role: string;
      readonly method: string;
      readonly host: string;
      readonly address: string;
      readonly port: number;
      readonly path: string;
      readonly request_bytes: number;
      readonly status?: number;
      readonly response_bytes?: number;
      readonly elapsed_ms: number;
      readonly error?: string;
    }
  | {
      readonly type: 'scan_decision';
      readonly scan_id: string;
      readonly finding_id: string;
      readonly decision: string;
      readonly reason: string;
      readonly requests_sent?: number;
      readonly duration_ms?: number;
    };

export interface AuditSink {
  write(record: AuditRecord): void;
  close(): Promise<void>;
}

/** "-" (stdout), a file path, or a function that receives each line (tests, embedding). */
export function createAuditLog(destination: string | ((line: string) => void)): AuditSink {
  if (typeof destination === 'function') {
    return { write: (record) => destination(JSON.stringify({ timestamp: new Date().toISOString(), ...record })), close: async () => undefined };
  }
  const stream: NodeJS.WritableStream | WriteStream = destination === '-' ? process.stdout : createWriteStream(destination, { flags: 'a', mode: 0o600 });
  return {
    write(record) {
      stream.write(`${JSON.stringify({ timestamp: new Date().toISOString(), log: 'sts-audit', ...record })}\n`);
    },
    close: () =>
      new Promise<void>((done) => {
        if (stream === process.stdout) return done();
        (stream as WriteStream).end(() => done());
      }),
  };
}
